"""What a share link's recipient gets: the draft as the public page would show
it, private, unindexed, in every preview mode, with nothing else unpublished."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.models import PageLogEntry, WorkflowState

from articles.factories import ArticlePageFactory
from sharing.models import ShareComment, ShareLink, ShareLinkView
from sharing.services import create_share_link, revoke_share_link

pytestmark = pytest.mark.django_db


def path_of(created) -> str:
    return created.path


def test_the_recipient_sees_the_draft_with_a_banner(client, draft, author):
    author.first_name, author.last_name = "Ada", "Writer"
    author.save()
    created = create_share_link(page=draft, user=author, note="Check the quote")
    response = client.get(created.path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "A fresh article" in html and "The body text." in html
    assert "Draft</strong> shared by Ada Writer" in html
    assert "Check the quote" in html
    assert "expires" in html


def test_responses_are_private_unindexed_and_send_no_referrer(client, draft, author):
    created = create_share_link(page=draft, user=author)
    for _ in range(2):  # the second would be a page-cache hit if it were stored
        response = client.get(created.path)
        cache_control = response["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert response["Referrer-Policy"] == "no-referrer"
        assert response.get("X-Wagtail-Cache") != "hit"
    html = response.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert 'rel="canonical"' not in html and "og:url" not in html


def test_no_userbar_even_for_a_signed_in_editor(client, draft, author, editor):
    created = create_share_link(page=draft, user=author)
    client.force_login(editor)
    html = client.get(created.path).content.decode()
    assert "wagtail-userbar" not in html and "A fresh article" in html


def test_every_preview_mode_and_no_other(client, draft, author):
    created = create_share_link(page=draft, user=author)
    card = client.get(created.path, {"mode": "card"}).content.decode()
    assert "how this article appears in listings" in card
    social = client.get(created.path, {"mode": "social"})
    assert social.status_code == 200
    assert client.get(created.path, {"mode": "nonsense"}).status_code == 404
    assert ShareLinkView.objects.filter(link=created.link).count() == 2
    link = ShareLink.objects.get()
    assert link.view_count == 2 and link.last_viewed_at is not None


def test_other_drafts_do_not_leak(client, draft, author, article_index):
    """Related lists, most read and neighbours list published articles only."""
    published = ArticlePageFactory(
        parent=article_index, title="Published neighbour", tags=["news"]
    )
    hidden = ArticlePageFactory(
        parent=article_index, title="Secret other draft", tags=["news"]
    )
    hidden.unpublish()
    created = create_share_link(page=draft, user=author)
    html = client.get(created.path).content.decode()
    assert "Secret other draft" not in html
    assert published.title in html


def test_unknown_expired_revoked_and_deleted_are_the_same_404(
    client, draft, author, editor
):
    created = create_share_link(page=draft, user=author)
    unknown = client.get("/share/" + "x" * 43 + "/")
    assert unknown.status_code == 404
    expired = create_share_link(page=draft, user=author)
    ShareLink.objects.filter(pk=expired.link.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    revoke_share_link(link=created.link, user=editor)
    unknown_page = unknown.content.decode().replace("x" * 43, "TOKEN")
    for gone in (created, expired):
        response = client.get(gone.path)
        assert response.status_code == 404
        # Nothing tells a link that was from one that never was.
        token = gone.path.rstrip("/").rsplit("/", 1)[-1]
        assert response.content.decode().replace(token, "TOKEN") == unknown_page
    assert client.get("/share/short/").status_code == 404


def test_token_lookups_are_rate_limited(client, draft, author, settings):
    settings.SHARE_LINK_RATE_LIMIT = "3/60"
    created = create_share_link(page=draft, user=author)
    statuses = [client.get(created.path).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    refused = client.get("/share/" + "y" * 43 + "/")
    assert refused.status_code == 429 and refused["Retry-After"] == "60"


def test_a_comment_lands_in_the_history_and_mails_the_sharer(
    client, draft, author, django_capture_on_commit_callbacks
):
    author.email = "author@example.com"
    author.save()
    created = create_share_link(page=draft, user=author)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{created.path}comment/",
            {"share-name": "Lee Source", "share-text": "Quote is right."},
        )
    assert response.status_code == 302 and "sent=1" in response["Location"]
    comment = ShareComment.objects.get()
    assert (comment.name, comment.text, comment.verdict) == (
        "Lee Source",
        "Quote is right.",
        "",
    )
    entry = PageLogEntry.objects.get(page=draft, action="sharing.comment")
    assert entry.data["name"] == "Lee Source"
    (message,) = mail.outbox
    assert message.to == ["author@example.com"] and "Quote is right." in message.body
    assert "your answer was sent" in client.get(response["Location"]).content.decode()


def test_an_empty_comment_is_a_form_error_not_a_5xx(client, draft, author):
    created = create_share_link(page=draft, user=author)
    response = client.post(
        f"{created.path}comment/", {"share-name": "Lee", "share-text": " "}
    )
    assert response.status_code == 400
    assert "Write a comment, or answer the review." in response.content.decode()
    assert not ShareComment.objects.exists()


def test_review_answers_need_a_review_link_and_a_review(
    client, in_review, author, article_index
):
    draft = ArticlePageFactory(parent=article_index, owner=author)
    plain = create_share_link(page=in_review, user=author)
    assert "Request changes" not in client.get(plain.path).content.decode()
    refused = client.post(
        f"{plain.path}comment/",
        {"share-name": "Lee", "share-text": "No", "share-verdict": "changes_requested"},
    )
    assert refused.status_code == 403
    not_in_review = create_share_link(page=draft, user=author, may_review=True)
    assert (
        client.post(
            f"{not_in_review.path}comment/",
            {"share-name": "Lee", "share-verdict": "looks_good"},
        ).status_code
        == 403
    )
    assert not ShareComment.objects.exists()


def test_requesting_changes_lands_in_the_history_and_never_publishes(
    client, in_review, author, editor, django_capture_on_commit_callbacks
):
    author.email, editor.email = "author@example.com", "editor@example.com"
    author.save()
    editor.save()
    created = create_share_link(page=in_review, user=editor, may_review=True)
    assert "Request changes" in client.get(created.path).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{created.path}comment/",
            {
                "share-name": "Lee Lawyer",
                "share-text": "Cut paragraph 2.",
                "share-verdict": "changes_requested",
            },
        )
    assert response.status_code == 302
    entry = PageLogEntry.objects.get(page=in_review, action="sharing.changes_requested")
    state = WorkflowState.objects.get(object_id=str(in_review.pk))
    assert entry.data["workflow_state"] == state.pk
    assert entry.data["text"] == "Cut paragraph 2."
    in_review.refresh_from_db()
    assert not in_review.live
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    (message,) = mail.outbox
    assert sorted(message.to) == ["author@example.com", "editor@example.com"]


def test_a_shared_draft_counts_no_view(client, article_index, author):
    """The live article's view beacon is not on its shared draft: the recipient
    is not a reader of the published page."""
    live = ArticlePageFactory(parent=article_index, owner=author)
    created = create_share_link(page=live, user=author)
    assert "data-view-beacon" not in client.get(created.path).content.decode()
    assert "data-view-beacon" in client.get(live.url).content.decode()
