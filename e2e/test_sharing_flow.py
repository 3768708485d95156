"""Sharing a draft in a real browser: an Author shares her article under review,
a recipient without an account opens the link in a fresh browser, switches the
preview modes and requests changes; the Author finds the request in the page's
history. Nothing is published."""

import re

import pytest

from articles.factories import ArticlePageFactory
from e2e.test_editorial_flow import log_in, make_member

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "Harbour dues, explained"


def test_author_shares_recipient_requests_changes(
    live_server, new_page, shots, article_index, django_user_model
):
    amy = make_member(django_user_model, "amy", "Authors")
    make_member(django_user_model, "eddie", "Editors")
    article = ArticlePageFactory(
        parent=article_index, title=TITLE, owner=amy, author=amy
    )
    article.unpublish()
    revision = article.save_revision(user=amy)
    article.get_workflow().start(article, amy)
    assert revision.pk and not article.live
    base = live_server.url

    # --- The Author opens the share dialog from the page editor.
    author = new_page()
    log_in(author, base, "amy")
    author.goto(f"{base}/admin/pages/{article.pk}/edit/")
    author.get_by_role("button", name=re.compile("Actions|More")).first.click()
    author.get_by_role("link", name="Share draft").click()
    author.wait_for_url(re.compile(r".*/admin/sharing/\d+/"))
    author.get_by_label("Note for the reader").fill("Please check the figures")
    author.get_by_label("May review").check()
    shots(author, "share-dialog")
    author.get_by_role("button", name="Create share link").click()
    url = author.locator("#share-url").input_value()
    assert "/share/" in url
    shots(author, "share-link-created")

    # --- The recipient, in a fresh browser without an account.
    recipient = new_page()
    response = recipient.goto(url)
    assert response.status == 200
    assert "no-store" in response.headers["cache-control"]
    recipient.get_by_text("shared by Amy").wait_for()
    recipient.get_by_text("Please check the figures").wait_for()
    assert recipient.locator(".wagtail-userbar, wagtail-userbar").count() == 0
    shots(recipient, "recipient-full-page")
    recipient.get_by_role("link", name="Listing card").click()
    recipient.get_by_text("how this article appears in listings").wait_for()
    shots(recipient, "recipient-listing-card")
    recipient.get_by_role("link", name="Social share card").click()
    recipient.wait_for_url(re.compile(r".*mode=social"))
    shots(recipient, "recipient-social-card")
    recipient.get_by_role("link", name="Full page").click()
    recipient.get_by_label("Your name").fill("Lee Lawyer")
    recipient.get_by_label("Your comment on the draft").fill(
        "The second figure is out of date."
    )
    recipient.get_by_role("button", name="Request changes").click()
    recipient.get_by_text("your answer was sent").wait_for()
    shots(recipient, "recipient-requested-changes")

    # --- The Author sees the request in the page's history; nothing went live.
    author.goto(f"{base}/admin/pages/{article.pk}/history/")
    author.get_by_text("Changes requested by Lee Lawyer").first.wait_for()
    author.get_by_text("The second figure is out of date.").first.wait_for()
    shots(author, "author-history")
    article.refresh_from_db()
    assert not article.live
