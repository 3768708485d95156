"""Moderation in the Wagtail admin: Editors moderate, Authors only look."""

import pytest

from articles.factories import ArticlePageFactory
from engagement.models import Comment, CommentStatus

pytestmark = pytest.mark.django_db

LISTING = "/admin/snippets/engagement/comment/"


def bulk_url(action: str, *comments) -> str:
    ids = "&".join(f"id={comment.pk}" for comment in comments)
    return f"/admin/bulk/engagement/comment/{action}/?{ids}&next={LISTING}"


def comment(article, body="Nice piece", status=CommentStatus.PENDING, **fields):
    return Comment.objects.create(
        page=article,
        name=fields.pop("name", "Reader"),
        email="reader@example.com",
        body=body,
        status=status,
    )


@pytest.fixture
def articles(article_index, author, other_author):
    own = ArticlePageFactory(parent=article_index, author=author, title="Own piece")
    theirs = ArticlePageFactory(
        parent=article_index, author=other_author, title="Their piece"
    )
    return own, theirs


def test_editor_lists_filters_and_searches_comments(client, editor, articles):
    own, theirs = articles
    comment(own, "About trains")
    comment(theirs, "About boats", status=CommentStatus.APPROVED)
    comment(theirs, "Cheap pills", status=CommentStatus.SPAM)
    client.force_login(editor)

    listing = client.get(LISTING).content.decode()
    assert all(
        text in listing for text in ("About trains", "About boats", "Cheap pills")
    )

    pending = client.get(LISTING, {"status": "pending"}).content.decode()
    assert "About trains" in pending and "About boats" not in pending

    on_theirs = client.get(LISTING, {"page": theirs.pk}).content.decode()
    assert "About boats" in on_theirs and "About trains" not in on_theirs

    found = client.get(LISTING, {"q": "boats"}).content.decode()
    assert "About boats" in found and "About trains" not in found


def test_editor_approves_in_bulk_and_the_cached_page_shows_them(
    client, editor, articles, django_capture_on_commit_callbacks
):
    own, _ = articles
    first, second = comment(own, "First take"), comment(own, "Second take")
    reader = client.__class__()
    reader.get(own.url)
    assert reader.get(own.url)["X-Wagtail-Cache"] == "hit"

    client.force_login(editor)
    confirm = client.get(bulk_url("approve", first, second))
    assert confirm.status_code == 200
    assert "Second take" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(bulk_url("approve", first, second))
    assert response.status_code == 302

    first.refresh_from_db()
    assert first.status == CommentStatus.APPROVED
    assert first.moderated_by == editor and first.moderated_at is not None
    page = reader.get(own.url)
    assert page["X-Wagtail-Cache"] == "miss"  # purged precisely
    html = page.content.decode()
    assert "First take" in html and "Second take" in html and "2 comments" in html


@pytest.mark.parametrize("action", ["reject", "spam"])
def test_taking_down_an_approved_comment_purges_its_article(
    client, editor, articles, action, django_capture_on_commit_callbacks
):
    own, theirs = articles
    # Far enough from `own` not to link to it as previous/next.
    *_, unrelated = [
        ArticlePageFactory(parent=own.get_parent(), author=own.author) for _ in range(3)
    ]
    shown = comment(own, "Regrettable remark", status=CommentStatus.APPROVED)
    reader = client.__class__()
    assert "Regrettable remark" in reader.get(own.url).content.decode()
    reader.get(unrelated.url)

    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(bulk_url(action, shown))

    shown.refresh_from_db()
    assert shown.status == {"reject": "rejected", "spam": "spam"}[action]
    assert "Regrettable remark" not in reader.get(own.url).content.decode()
    assert reader.get(unrelated.url)["X-Wagtail-Cache"] == "hit"  # untouched


def test_rejecting_a_pending_comment_purges_nothing(
    client, editor, articles, django_capture_on_commit_callbacks
):
    own, _ = articles
    pending = comment(own)
    reader = client.__class__()
    reader.get(own.url)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(bulk_url("reject", pending))
    assert Comment.objects.get().status == CommentStatus.REJECTED
    assert reader.get(own.url)["X-Wagtail-Cache"] == "hit"
    assert not callbacks  # no purge scheduled: nothing shown changed


def test_row_actions_moderate_one_comment(client, editor, articles):
    own, _ = articles
    pending = comment(own, "Row action please")
    client.force_login(editor)
    listing = client.get(LISTING).content.decode()
    approve_link = f"/admin/bulk/engagement/comment/approve/?id={pending.pk}"
    assert approve_link in listing.replace("&amp;", "&")
    assert client.get(approve_link).status_code == 200


def test_editing_the_status_records_the_moderator_and_purges(
    client, editor, articles, django_capture_on_commit_callbacks
):
    own, _ = articles
    pending = comment(own, "Edited into view")
    reader = client.__class__()
    reader.get(own.url)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{LISTING}edit/{pending.pk}/",
            {
                "status": "approved",
                "name": "Reader",
                "email": "reader@example.com",
                "body": "Edited into view",
            },
        )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.moderated_by) == ("approved", editor)
    assert "Edited into view" in reader.get(own.url).content.decode()


def test_deleting_an_approved_comment_purges_its_article(
    client, editor, articles, django_capture_on_commit_callbacks
):
    own, _ = articles
    shown = comment(own, "Soon deleted", status=CommentStatus.APPROVED)
    reader = client.__class__()
    reader.get(own.url)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(bulk_url("delete", shown))
    assert response.status_code == 302
    assert not Comment.objects.exists()
    assert "Soon deleted" not in reader.get(own.url).content.decode()


def test_author_sees_only_comments_on_own_articles(client, author, articles):
    own, theirs = articles
    mine = comment(own, "On my piece")
    comment(theirs, "On their piece")
    client.force_login(author)
    response = client.get(LISTING)
    assert response.status_code == 200
    html = response.content.decode()
    assert "On my piece" in html and "On their piece" not in html
    assert f"approve/?id={mine.pk}" not in html  # no row actions


def test_author_cannot_moderate(client, author, articles):
    own, _ = articles
    pending = comment(own, "Please approve me")
    client.force_login(author)
    for action in ("approve", "reject", "spam", "delete"):
        client.post(bulk_url(action, pending))
    edit = client.post(
        f"{LISTING}edit/{pending.pk}/",
        {"status": "approved", "name": "x", "email": "x@example.com", "body": "x"},
    )
    assert edit.status_code == 302 and edit["Location"] == "/admin/"
    pending.refresh_from_db()
    assert pending.status == CommentStatus.PENDING
    assert pending.body == "Please approve me"


def test_readers_cannot_reach_the_moderation_listing(client):
    response = client.get(LISTING)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_page_filter_is_a_chooser_not_a_list_of_every_page(
    client, editor, article_index
):
    """A select of every page made the listing take seconds at 100,000 articles."""
    from articles.factories import ArticlePageFactory
    from engagement.models import Comment

    shown, other = (ArticlePageFactory(parent=article_index) for _ in range(2))
    Comment.objects.create(page=shown, name="A", email="a@example.com", body="On it")
    Comment.objects.create(
        page=other, name="B", email="b@example.com", body="Elsewhere"
    )
    client.force_login(editor)

    listing = client.get("/admin/snippets/engagement/comment/").content.decode()
    assert f'<option value="{other.pk}"' not in listing
    filtered = client.get(
        "/admin/snippets/engagement/comment/", {"page": shown.pk}
    ).content.decode()
    assert "On it" in filtered
    assert "Elsewhere" not in filtered
