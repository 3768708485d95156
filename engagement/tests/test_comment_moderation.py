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

    listing = client.get(LISTING, {"status": "all"}).content.decode()
    assert all(
        text in listing for text in ("About trains", "About boats", "Cheap pills")
    )

    pending = client.get(LISTING, {"status": "pending"}).content.decode()
    assert "About trains" in pending and "About boats" not in pending

    on_theirs = client.get(
        LISTING, {"status": "all", "page": theirs.pk}
    ).content.decode()
    assert "About boats" in on_theirs and "About trains" not in on_theirs

    found = client.get(LISTING, {"status": "all", "q": "boats"}).content.decode()
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


def listed_bodies(html: str, *bodies: str) -> list[str]:
    """`bodies` in the order the listing shows them (absent ones left out)."""
    return sorted((b for b in bodies if b in html), key=html.index)


def test_moderation_opens_on_pending_oldest_first(client, editor, articles):
    import datetime

    from django.utils import timezone

    own, _ = articles
    now = timezone.now()
    for minutes_ago, body, status in [
        (5, "Newer pending", CommentStatus.PENDING),
        (50, "Older pending", CommentStatus.PENDING),
        (30, "Approved one", CommentStatus.APPROVED),
    ]:
        made = comment(own, body, status=status)
        Comment.objects.filter(pk=made.pk).update(
            created_at=now - datetime.timedelta(minutes=minutes_ago)
        )
    client.force_login(editor)

    listing = client.get(LISTING).content.decode()
    bodies = ("Newer pending", "Older pending", "Approved one")
    assert listed_bodies(listing, *bodies) == ["Older pending", "Newer pending"]

    everything = client.get(LISTING, {"status": "all"}).content.decode()
    assert listed_bodies(everything, *bodies) == [
        "Older pending",
        "Approved one",
        "Newer pending",
    ]


def test_moderating_from_a_filtered_listing_comes_back_to_it(client, editor, articles):
    import html as html_lib
    import re
    from urllib.parse import parse_qs, urlsplit

    own, theirs = articles
    first = comment(own, "First on own")
    comment(own, "Second on own")
    comment(theirs, "On theirs")
    client.force_login(editor)

    # Filtered by page, as the filter form's results request does.
    listing = client.get(
        f"{LISTING}results/",
        {"status": "pending", "page": own.pk, "_w_filter_fragment": "1"},
    ).content.decode()
    approve_links = re.findall(
        r'href="(/admin/bulk/engagement/comment/approve/\?[^"]+)"', listing
    )
    link = html_lib.unescape(
        next(url for url in approve_links if f"id={first.pk}&" in url)
    )
    next_url = parse_qs(urlsplit(link).query)["next"][0]
    assert next_url == f"{LISTING}?status=pending&page={own.pk}"

    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == next_url
    first.refresh_from_db()
    assert first.status == CommentStatus.APPROVED
    back = client.get(response["Location"]).content.decode()
    assert "Second on own" in back
    assert "First on own" not in back and "On theirs" not in back


def test_an_offsite_next_is_not_followed(client, editor, articles):
    own, _ = articles
    pending = comment(own, "Careful")
    client.force_login(editor)
    response = client.post(
        f"/admin/bulk/engagement/comment/approve/?id={pending.pk}"
        "&next=https://evil.example/"
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_an_unknown_status_is_not_an_error(client, editor, articles):
    client.force_login(editor)
    assert client.get(LISTING, {"status": "nonsense"}).status_code == 200
