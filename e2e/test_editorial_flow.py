"""The editorial flow in a real browser: an Author writes and submits an article with
a body and an image, previews it, the pre-publish checks stop her submission until
she adds a tag, an Editor approves it, and readers can see it."""

import re

import pytest
from django.contrib.auth.models import Group

from articles.models import ArticlePage
from cms.tests.images import png_bytes

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "Harbour lights after midnight"
BODY = "The lights came on one by one along the quay."


def make_member(django_user_model, username: str, group: str):
    user = django_user_model.objects.create_user(
        username=username, password=f"pw-{username}-12345", first_name=username.title()
    )
    user.groups.add(Group.objects.get(name=group))
    return user


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f"pw-{username}-12345")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")


def test_author_submits_editor_approves_reader_sees(
    live_server, new_page, shots, article_index, django_user_model, tmp_path
):
    make_member(django_user_model, "amy", "Authors")
    make_member(django_user_model, "eddie", "Editors")
    picture = tmp_path / "harbour.png"
    picture.write_bytes(png_bytes((800, 500), "navy"))
    base = live_server.url

    # --- The Author writes the article.
    author = new_page()
    log_in(author, base, "amy")
    shots(author, "author-dashboard")
    author.goto(f"{base}/admin/pages/add/articles/articlepage/{article_index.pk}/")
    author.fill("#id_title", TITLE)
    author.fill("#id_intro", "A night walk along the harbour as the city goes quiet.")
    author.click("button.c-sf-add-button")
    author.get_by_role("option", name="Paragraph").click()
    author.locator(".public-DraftEditor-content").first.click()
    author.keyboard.type(BODY)

    # Featured image: uploaded from the chooser, as an author would.
    author.get_by_text("Choose an image").click()
    author.get_by_role("tab", name="Upload").click()
    author.set_input_files("#id_image-chooser-upload-file", str(picture))
    author.fill("#id_image-chooser-upload-title", "Harbour at night")
    # Alt text: the pre-publish checks want the featured image described.
    author.fill(
        "#id_image-chooser-upload-description", "The quay lit up along the water"
    )
    author.locator(".modal-content form button[type=submit]").click()
    author.wait_for_selector(".modal-content", state="detached")
    shots(author, "author-article-filled")

    # Preview in the side panel.
    author.get_by_role("button", name="Toggle preview").click()
    preview = author.frame_locator("iframe#w-preview-iframe")
    preview.get_by_text(BODY).wait_for()
    shots(author, "author-preview")

    # Save a draft, then submit it for review.
    author.get_by_role("button", name="Save draft").click()
    author.wait_for_url(re.compile(r".*/admin/pages/\d+/edit/"))
    article = ArticlePage.objects.get(title=TITLE)
    assert not article.live
    shots(author, "author-saved-draft")

    def submit_for_review():
        author.locator(
            "footer .dropdown-toggle, [data-w-dropdown-target='toggle']"
        ).last.click()
        author.get_by_role(
            "button", name=re.compile("Submit to Editorial review")
        ).click()
        author.wait_for_load_state()

    # Without a tag the pre-publish checks refuse the submission, and say why.
    submit_for_review()
    author.get_by_text("Not submitted for review").first.wait_for()
    shots(author, "author-submission-refused")
    author.locator("[data-prepublish-checks]").scroll_into_view_if_needed()
    shots(author, "author-checks-panel")
    article.refresh_from_db()
    assert article.current_workflow_state is None

    # She adds a tag and submits again.
    author.locator("ul.tagit input").first.fill("harbour")
    author.keyboard.press("Enter")
    submit_for_review()
    author.wait_for_url(re.compile(r".*/admin/pages/\d+/$"))
    shots(author, "author-submitted")
    article.refresh_from_db()
    assert not article.live
    assert article.current_workflow_state is not None
    # Her dashboard lists it as in review (newsroom/panels.py).
    author.goto(f"{base}/admin/")
    author.locator("#newsroom_waiting_for_review-section").get_by_text(TITLE).wait_for()
    shots(author, "author-dashboard-in-review")

    # Readers cannot see it yet.
    reader = new_page()
    assert reader.goto(f"{base}/articles/{article.slug}/").status == 404

    # --- The Editor approves it.
    editor = new_page()
    log_in(editor, base, "eddie")
    editor.locator("#newsroom_waiting_for_review-section").get_by_text(TITLE).wait_for()
    shots(editor, "editor-dashboard")
    editor.goto(f"{base}/admin/pages/{article.pk}/edit/")
    editor.locator(
        "footer .dropdown-toggle, [data-w-dropdown-target='toggle']"
    ).last.click()
    editor.get_by_role("button", name=re.compile("^Approve")).first.click()
    editor.wait_for_load_state()
    # The message says what happened (newsroom/action_messages.py).
    editor.get_by_text(f"Page '{TITLE}' has been approved and published.").wait_for()
    shots(editor, "editor-approved")

    article.refresh_from_db()
    assert article.live
    assert article.author.username == "amy"

    # --- The public URL shows it, with its image and body, and nothing on the page
    # breaks the Content-Security-Policy (for the reader, nor for the editor's userbar).
    violations = []
    for viewer in (reader, editor):
        viewer.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text
                and violations.append(message.text)
            ),
        )
    editor.goto(f"{base}{article.url}")
    editor.locator("wagtail-userbar").wait_for(state="attached")
    shots(editor, "editor-sees-userbar")
    response = reader.goto(f"{base}{article.url}")
    assert response.status == 200
    assert reader.locator("h1").inner_text() == TITLE
    assert BODY in reader.locator(".article__body").inner_text()
    assert reader.locator(".article__hero img").count() == 1
    assert "Content-Security-Policy" in response.headers or (
        "content-security-policy" in response.headers
    )
    shots(reader, "reader-article")
    assert violations == []
