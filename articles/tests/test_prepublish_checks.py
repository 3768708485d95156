"""The article pre-publish checks (articles/prepublish_checks.py), through the edit
view as Authors and Editors use it: each check stops a submission when it fails
and lets it through when it passes; an Editor's publish is refused the same way
unless she overrides with a reason, which the page's history records."""

import re

import pytest
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import PageLogEntry, WorkflowState
from wagtail.rich_text import RichText
from wagtail.test.utils.form_data import rich_text, streamfield

from articles.factories import ArticlePageFactory
from articles.models import ArticlePage
from articles.prepublish_checks import (
    empty_heading,
    internal_links,
    intro,
    link_name,
)
from articles.tests.admin_forms import (
    COMPLETE_INTRO,
    add_article_url,
    article_form_data,
    described_image,
    edit_url,
)
from cms.factories import ImageFactory
from cms.prepublish.audit import OVERRIDE_ACTION
from cms.prepublish.checks import run_checks

pytestmark = pytest.mark.django_db

SLUG = "a-fresh-article"


@pytest.fixture
def draft(client, author, article_index) -> ArticlePage:
    """An Author's saved draft (not submitted), made through the create view."""
    client.force_login(author)
    response = client.post(add_article_url(article_index), article_form_data())
    assert response.status_code == 302
    client.logout()
    return ArticlePage.objects.get(slug=SLUG)


def body(*blocks) -> dict:
    return {"body": streamfield(list(blocks))}


def paragraph(html: str):
    return ("paragraph", rich_text(html))


def heading(text: str, level: str = "h2"):
    return ("heading", {"text": text, "level": level})


def submit(client, user, page, **fields):
    client.force_login(user)
    return client.post(edit_url(page), article_form_data("submit", **fields))


def publish(client, user, page, **fields):
    client.force_login(user)
    return client.post(edit_url(page), article_form_data("publish", **fields))


def in_review(page) -> bool:
    state = page.current_workflow_state
    return state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS


def failed_checks(response) -> set[str]:
    """The ids of the checks the re-rendered form's panel shows as failed."""
    html = response.content.decode()
    return set(re.findall(r'data-check="(\w+)" data-passed="false"', html))


# What makes each check fail, posted through the edit form; the draft otherwise
# complete (article_form_data gives an intro, a tag and a described image).
def failing_fields() -> dict:
    unpublished = ArticlePageFactory(
        parent=ArticlePage.objects.get(slug=SLUG).get_parent(),
        title="Still a draft",
        slug="still-a-draft",
        live=False,
    )
    return {
        "featured_image": {"featured_image": ""},
        "featured_image_alt": {
            "featured_image": ImageFactory(title="Undescribed", description="").pk
        },
        "tags": {"tags": ""},
        "seo_description_short": {"intro": "Too short.", "search_description": ""},
        "seo_description_long": {"search_description": "word " * 40},
        "internal_links": body(
            paragraph(
                f'<p>See <a linktype="page" id="{unpublished.pk}">the draft</a>.</p>'
            )
        ),
        "heading_order": body(heading("Details", "h3"), paragraph("<p>Text.</p>")),
        "link_text": body(
            paragraph('<p>For more, <a href="https://example.com/">click here</a>.</p>')
        ),
        "p_as_heading": body(paragraph("<p><b>A bold line</b></p>")),
        "alt_text_quality": body(
            (
                "image",
                {
                    "image": described_image().pk,
                    "alt_text": "IMG_0042.jpg",
                    "caption": "",
                },
            )
        ),
    }


CHECK_OF_CASE = {
    "featured_image": "featured_image",
    "featured_image_alt": "featured_image",
    "tags": "tags",
    "seo_description_short": "seo_description_length",
    "seo_description_long": "seo_description_length",
    "internal_links": "internal_links",
    "heading_order": "heading_order",
    "link_text": "link_text",
    "p_as_heading": "p_as_heading",
    "alt_text_quality": "alt_text_quality",
}


@pytest.mark.parametrize("case", sorted(CHECK_OF_CASE))
def test_each_failing_check_stops_an_authors_submission(client, author, draft, case):
    fields = failing_fields()[case]

    response = submit(client, author, draft, title="Kept title", **fields)

    assert response.status_code == 200  # the form again, not a redirect
    assert failed_checks(response) == {CHECK_OF_CASE[case]}
    html = response.content.decode()
    assert "Not submitted for review" in html
    # What she typed is still in the form; nothing was submitted or saved.
    assert 'value="Kept title"' in html
    draft.refresh_from_db()
    assert not in_review(draft)
    assert draft.get_latest_revision_as_object().title == "A fresh article"


def test_a_complete_article_is_submitted(client, author, draft):
    response = submit(client, author, draft)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert in_review(draft)


def test_fixing_the_problem_lets_the_submission_through(client, author, draft):
    assert submit(client, author, draft, featured_image="").status_code == 200

    response = submit(client, author, draft)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert in_review(draft)


def test_the_checks_read_the_posted_draft_not_the_saved_one(client, author, draft):
    """The saved draft has no tag or image; the submission adds them."""
    client.force_login(author)
    client.post(edit_url(draft), article_form_data(tags=""))

    assert submit(client, author, draft).status_code == 302


def test_a_search_description_within_limits_passes_a_long_intro(client, author, draft):
    response = submit(
        client,
        author,
        draft,
        intro="A long intro. " * 15,
        search_description="A search description of a reasonable length for results.",
    )
    assert response.status_code == 302


def test_links_to_deleted_pages_and_documents_are_broken(client, author, draft):
    gone = ArticlePageFactory(parent=draft.get_parent(), title="Gone", slug="gone")
    document = get_document_model().objects.create(title="Annual report")
    fields = body(
        paragraph(f'<p>Read <a linktype="page" id="{gone.pk}">the story</a>.</p>'),
        paragraph(
            f'<p>The <a linktype="document" id="{document.pk}">annual report</a>.</p>'
        ),
    )
    assert submit(client, author, draft, **fields).status_code == 302  # both exist
    state = draft.current_workflow_state
    state.cancel(user=author)
    gone_pk, document_pk = gone.pk, document.pk
    gone.delete()
    document.delete()

    response = submit(client, author, draft, **fields)

    assert failed_checks(response) == {"internal_links"}
    html = response.content.decode()
    assert f"a page that no longer exists (id {gone_pk})" in html
    assert f"a document that no longer exists (id {document_pk})" in html


def test_a_link_to_a_published_page_is_fine(client, author, draft):
    live = ArticlePageFactory(parent=draft.get_parent(), title="Live", slug="live")
    fields = body(
        paragraph(f'<p>See <a linktype="page" id="{live.pk}">the live story</a>.</p>')
    )
    assert submit(client, author, draft, **fields).status_code == 302


def test_an_italic_note_is_not_a_heading(client, author, draft):
    fields = body(paragraph("<p><i>This article was corrected.</i></p>"))
    assert submit(client, author, draft, **fields).status_code == 302


def test_headings_in_order_pass(client, author, draft):
    fields = body(
        heading("What happened"),
        heading("At the harbour", "h3"),
        heading("What next"),
        paragraph("<p>Plain text.</p>"),
    )
    assert submit(client, author, draft, **fields).status_code == 302


# Rules whose failures the admin's editors cannot produce (a heading block's text
# is required; Draftail keeps no empty link), but imported or old content can.
def test_intro_empty_heading_and_link_name_on_stored_content(article_index):
    article = ArticlePageFactory(
        parent=article_index,
        intro="  ",
        body=[
            ("heading", {"text": " ", "level": "h2"}),
            ("paragraph", RichText('<p>A <a href="https://example.com/"> </a></p>')),
            ("heading", {"text": "Named", "level": "h2"}),
            ("paragraph", RichText('<p>A <a href="https://example.com/">site</a></p>')),
        ],
    )
    assert intro.run(article) == ["Write the intro."]
    assert empty_heading.run(article) == ["1 heading(s) in the body have no text."]
    assert link_name.run(article) == ["1 link(s) in the body have no text."]

    article.intro = COMPLETE_INTRO
    article.body = [("heading", {"text": "Named", "level": "h2"})]
    assert intro.run(article) == []
    assert empty_heading.run(article) == []
    assert link_name.run(article) == []


def test_an_image_block_whose_image_was_deleted_is_broken(article_index):
    image = ImageFactory()
    article = ArticlePageFactory(
        parent=article_index,
        body=[("image", {"image": image, "alt_text": "A boat", "caption": ""})],
    )
    assert internal_links.run(article) == []
    image.delete()

    article = ArticlePage.objects.get(pk=article.pk)

    assert internal_links.run(article) == [
        "1 image block(s) show an image that no longer exists."
    ]


# --- Editors: publishing, the override and its record.


def test_an_editors_publish_is_refused(client, editor, draft):
    response = publish(client, editor, draft, tags="")

    assert response.status_code == 200
    assert failed_checks(response) == {"tags"}
    assert "Not published" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.live


def test_an_override_without_a_reason_is_a_form_error(client, editor, draft):
    response = publish(client, editor, draft, tags="", prepublish_override="on")

    assert response.status_code == 200
    assert "Say why this page should go out" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.live
    assert not PageLogEntry.objects.filter(page=draft, action=OVERRIDE_ACTION).exists()


def test_an_override_with_a_reason_publishes_and_is_recorded(client, editor, draft):
    response = publish(
        client,
        editor,
        draft,
        tags="",
        prepublish_override="on",
        prepublish_override_reason="Breaking news; tags follow.",
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.live
    entry = PageLogEntry.objects.get(page=draft, action=OVERRIDE_ACTION)
    assert entry.user == editor
    assert entry.data["reason"] == "Breaking news; tags follow."
    assert entry.data["failed_checks"] == ["tags"]
    assert entry.data["action"] == "publish"
    # The page's history shows it, with the reason and the failed checks.
    history = client.get(f"/admin/pages/{draft.pk}/history/").content.decode()
    assert "Pre-publish checks overridden" in history
    assert "Breaking news; tags follow." in history
    assert "Add at least one tag." in history


def test_an_editor_publishing_a_complete_article_needs_no_override(
    client, editor, draft
):
    assert publish(client, editor, draft).status_code == 302
    draft.refresh_from_db()
    assert draft.live
    assert not PageLogEntry.objects.filter(page=draft, action=OVERRIDE_ACTION).exists()


def test_an_author_cannot_override(client, author, draft):
    response = submit(
        client,
        author,
        draft,
        tags="",
        prepublish_override="on",
        prepublish_override_reason="I know best.",
    )

    assert response.status_code == 200
    assert failed_checks(response) == {"tags"}
    html = response.content.decode()
    assert 'name="prepublish_override"' not in html  # never offered to her
    draft.refresh_from_db()
    assert not in_review(draft)
    assert not PageLogEntry.objects.filter(page=draft, action=OVERRIDE_ACTION).exists()


def test_an_editor_creating_and_publishing_is_checked_too(
    client, editor, article_index
):
    client.force_login(editor)
    url = add_article_url(article_index)

    refused = client.post(url, article_form_data("publish", tags=""))
    assert refused.status_code == 200
    assert not ArticlePage.objects.filter(slug=SLUG).exists()

    response = client.post(
        url,
        article_form_data(
            "publish",
            tags="",
            prepublish_override="on",
            prepublish_override_reason="Wire copy, tagged later.",
        ),
    )
    assert response.status_code == 302
    article = ArticlePage.objects.get(slug=SLUG)
    assert article.live
    entry = PageLogEntry.objects.get(page=article, action=OVERRIDE_ACTION)
    assert entry.data["reason"] == "Wire copy, tagged later."


def test_a_disabled_check_does_not_block(client, author, draft, settings):
    settings.PREPUBLISH_CHECKS = {"DISABLED": ["tags"]}

    response = submit(client, author, draft, tags="")

    assert response.status_code == 302
    draft.refresh_from_db()
    assert in_review(draft)


def test_the_seo_limits_come_from_settings(client, author, draft, settings):
    settings.PREPUBLISH_CHECKS = {
        "OPTIONS": {"seo_description_length": {"min": 5, "max": 20}}
    }
    # The search description article_form_data sends is now too long.
    assert submit(client, author, draft).status_code == 200

    fields = {"search_description": "Short and sweet."}
    assert submit(client, author, draft, **fields).status_code == 302


def test_the_edit_form_shows_the_checks_before_anyone_clicks(client, author, draft):
    client.force_login(author)

    html = client.get(edit_url(draft)).content.decode()

    # The saved draft has a tag and an intro but no featured image.
    assert "Pre-publish checks: 10 of 11 pass." in html
    assert 'data-check="featured_image" data-passed="false"' in html
    assert "Choose a featured image." in html


def test_the_create_form_shows_the_checks(client, author, article_index):
    client.force_login(author)

    html = client.get(add_article_url(article_index)).content.decode()

    assert "Pre-publish checks: " in html
    assert 'data-check="featured_image" data-passed="false"' in html
    assert 'name="prepublish_override"' not in html


def test_editors_are_offered_the_override(client, editor, draft):
    client.force_login(editor)

    html = client.get(edit_url(draft)).content.decode()

    assert 'name="prepublish_override"' in html
    assert 'name="prepublish_override_reason"' in html


# --- The workflow: approving from the edit form or the moderation modal.


@pytest.fixture
def submitted_then_broken(client, author, draft) -> ArticlePage:
    """Submitted while complete; its tag removed afterwards by a direct change of
    the revision under review (as an import or an old revision could)."""
    assert submit(client, author, draft).status_code == 302
    draft.refresh_from_db()
    revision = draft.current_workflow_task_state.revision
    content = dict(revision.content)
    content["tagged_items"] = []
    revision.content = content
    revision.save(update_fields=["content"])
    return draft


def approve_url(page) -> str:
    """The address Wagtail's dashboard and moderation lists post approvals to
    (cms/urls.py routes it to the checked view)."""
    state = page.current_workflow_task_state
    return reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.pk]
    )


def test_the_approve_modal_cannot_publish_a_failing_article(
    client, editor, submitted_then_broken
):
    page = submitted_then_broken
    client.force_login(editor)

    response = client.post(approve_url(page), {"comment": ""})

    assert response.status_code == 302
    assert response["Location"] == edit_url(page)
    page.refresh_from_db()
    assert not page.live
    assert in_review(page)
    messages = client.get(edit_url(page)).content.decode()
    assert "was not approved" in messages


def test_the_approve_modal_sends_the_editor_to_the_edit_form(
    client, editor, submitted_then_broken
):
    """The modal's XHR gets the JSON step that closes it and opens the editor."""
    page = submitted_then_broken
    client.force_login(editor)

    response = client.post(
        approve_url(page),
        {"comment": ""},
        headers={"x-requested-with": "XMLHttpRequest"},
    )

    assert response.json()["step"] == "success"
    assert response.json()["redirect"] == edit_url(page)
    page.refresh_from_db()
    assert not page.live


def test_the_approve_modal_publishes_a_passing_article(client, editor, author, draft):
    assert submit(client, author, draft).status_code == 302
    draft.refresh_from_db()
    client.force_login(editor)

    response = client.post(approve_url(draft), {"comment": ""})

    assert response.status_code in (200, 302)
    draft.refresh_from_db()
    assert draft.live


def test_approving_from_the_edit_form_is_checked(client, editor, author, draft):
    assert submit(client, author, draft).status_code == 302
    draft.refresh_from_db()
    client.force_login(editor)
    # The approve button of the edit form's workflow menu, with the draft's fields.
    approve = {
        "action-workflow-action": "true",
        "workflow-action-name": "approve",
        "featured_image": described_image().pk,
    }

    refused = client.post(edit_url(draft), {**article_form_data(tags=""), **approve})

    assert refused.status_code == 200
    assert failed_checks(refused) == {"tags"}
    draft.refresh_from_db()
    assert not draft.live

    response = client.post(
        edit_url(draft),
        {
            **article_form_data(
                tags="",
                featured_image=described_image().pk,
                prepublish_override="on",
                prepublish_override_reason="Approved on the phone.",
            ),
            **approve,
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.live
    entry = PageLogEntry.objects.get(page=draft, action=OVERRIDE_ACTION)
    assert entry.data["reason"] == "Approved on the phone."


def bulk_publish(client, page):
    url = (
        "/admin/bulk/wagtailcore/page/publish/"
        f"?id={page.pk}&next=/admin/pages/{page.get_parent().pk}/"
    )
    return client.post(url, {"include_descendants": ""})


def test_bulk_publish_refuses_a_failing_article(client, editor, draft):
    client.force_login(editor)  # the saved draft has no featured image

    response = bulk_publish(client, draft)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert not draft.live
    listing = client.get(response["Location"]).content.decode()
    assert "Nothing was published" in listing
    assert "Choose a featured image." in listing


def test_bulk_publish_publishes_a_passing_article(client, editor, draft):
    client.force_login(editor)
    fields = {"featured_image": described_image().pk}
    assert client.post(edit_url(draft), article_form_data(**fields)).status_code == 302

    response = bulk_publish(client, draft)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.live


def copy(client, page, **fields):
    return client.post(
        reverse("wagtailadmin_pages:copy", args=[page.pk]),
        {
            "new_title": "A copy",
            "new_slug": "a-copy",
            "new_parent_page": page.get_parent().pk,
            **fields,
        },
    )


def test_publishing_copies_of_a_failing_article_is_refused(
    client, editor, article_index
):
    live = ArticlePageFactory(parent=article_index, title="Live", slug="live")
    assert "tags" in {r.check.id for r in run_checks(live).failed}  # no tags
    client.force_login(editor)

    refused = copy(client, live, publish_copies="on")

    assert refused.status_code == 200
    assert "fails its pre-publish checks" in refused.content.decode()
    assert not ArticlePage.objects.filter(slug="a-copy").exists()
    # As a draft, it is copied.
    assert copy(client, live).status_code == 302
    assert not ArticlePage.objects.get(slug="a-copy").live


def test_publishing_copies_of_a_passing_article_is_allowed(
    client, editor, article_index
):
    live = ArticlePageFactory(
        parent=article_index,
        title="Live",
        slug="live",
        intro=COMPLETE_INTRO,
        featured_image=described_image(),
        tags=["harbour"],
    )
    assert run_checks(live).passed
    client.force_login(editor)

    assert copy(client, live, publish_copies="on").status_code == 302
    assert ArticlePage.objects.get(slug="a-copy").live
