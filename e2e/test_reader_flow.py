"""Readers in a real browser: on a cached article page a reader is counted, rates and
comments; an Editor approves the comment in the admin; it then shows, as text.
Without JavaScript, the respond page takes the comment instead."""

import pytest

from articles.factories import ArticlePageFactory
from engagement.models import Comment, DailyPageViews, Rating

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAYLOAD = "<script>window.pwned = true</script> Lovely piece, thank you."


def test_reader_comments_and_rates_on_a_cached_page_editor_approves(
    live_server, new_page, shots, article_index, editor
):
    article = ArticlePageFactory(parent=article_index, title="Harbour lights")
    url = f"{live_server.url}{article.url}"

    reader = new_page()
    dialogs = []
    reader.on("dialog", lambda dialog: (dialogs.append(dialog), dialog.dismiss()))
    assert reader.goto(url).headers["x-wagtail-cache"] == "miss"
    # Wait for the beacon's answer before touching the database: the live server
    # shares this thread's SQLite connection.
    with reader.expect_response(lambda r: r.url.endswith("/view/")) as beacon:
        response = reader.reload()
    assert response.headers["x-wagtail-cache"] == "hit"  # the rest runs on the cache
    assert beacon.value.status == 204
    assert DailyPageViews.objects.get(page=article).views == 1
    shots(reader, "cached-article")

    reader.get_by_role("button", name="4 out of 5").click()
    rating_status = reader.locator(".rating [data-form-status]")
    rating_status.get_by_text("Average 4 from 1").wait_for()
    assert Rating.objects.get().score == 4

    reader.fill("#id_name", "Ada")
    reader.fill("#id_email", "ada@example.com")
    reader.fill("#id_body", PAYLOAD)
    reader.get_by_role("button", name="Send comment").click()
    reader.get_by_text("will appear once an editor approves it").wait_for()
    shots(reader, "comment-sent")
    assert Comment.objects.get().status == "pending"

    moderator = new_page()
    moderator.goto(f"{live_server.url}/admin/login/")
    moderator.fill("input[name=username]", "editor")
    moderator.fill("input[name=password]", "pw-editor-1")
    moderator.click("button[type=submit]")
    moderator.wait_for_url(f"{live_server.url}/admin/")
    moderator.goto(
        f"{live_server.url}/admin/snippets/engagement/comment/?status=pending"
    )
    shots(moderator, "moderation-listing")
    moderator.locator("input[data-bulk-action-checkbox]").first.check()
    moderator.get_by_role("link", name="Approve selected comments").click()
    moderator.get_by_role("button", name="Yes").click()
    moderator.get_by_text("1 comment marked Approved.").wait_for()
    shots(moderator, "approved")

    response = reader.reload()
    assert response.headers["x-wagtail-cache"] == "miss"  # purged by the approval
    comment = reader.locator(".comment__body")
    assert PAYLOAD in comment.inner_text()  # shown as text...
    assert reader.evaluate("window.pwned === undefined")  # ...never run
    assert not dialogs
    assert reader.locator("#comments-title").text_content() == "1 comment"
    shots(reader, "comment-shown")


def test_without_javascript_the_respond_page_takes_the_comment(
    live_server, browser, article_index
):
    article = ArticlePageFactory(parent=article_index, title="Plain and simple")
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}{article.url}")
        assert not page.locator("form[data-reader-form]").first.is_visible()
        page.get_by_role("link", name="Write a comment").click()
        page.fill("#id_name", "Bea")
        page.fill("#id_email", "bea@example.com")
        page.fill("#id_body", "No scripts here.")
        page.get_by_role("button", name="Send comment").click()
        page.get_by_text("will appear once an editor approves it").wait_for()
    finally:
        context.close()
    assert Comment.objects.get().body == "No scripts here."


def test_reader_searches_with_suggestions(live_server, new_page, shots, article_index):
    ArticlePageFactory(parent=article_index, title="Pelican season", tags=["birds"])
    ArticlePageFactory(parent=article_index, title="Penguin diaries", tags=["birds"])
    reader = new_page()
    reader.goto(f"{live_server.url}/")
    reader.get_by_role("link", name="Search").click()
    box = reader.get_by_label("Search articles")
    box.press_sequentially("pel", delay=50)
    suggestion = reader.locator("#search-suggestions option")
    suggestion.first.wait_for(state="attached")
    assert suggestion.evaluate_all("options => options.map(o => o.value)") == [
        "Pelican season"
    ]
    box.fill("pelican")
    box.press("Enter")
    reader.get_by_text("1 result for “pelican”").wait_for()
    shots(reader, "search-results")
    assert reader.get_by_role("link", name="Pelican season").is_visible()
