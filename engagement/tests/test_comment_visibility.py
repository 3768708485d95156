"""Authors see only comments on pages they may edit, in every admin view that shows
comments, not only in the listing: a reader's pending or spam comment on someone
else's article never reaches them by id, chooser or bulk-action page."""

import pytest

from articles.factories import ArticlePageFactory
from engagement.models import Comment, CommentStatus

pytestmark = pytest.mark.django_db

SNIPPETS = "/admin/snippets/engagement/comment"
CHOOSER = "/admin/snippets/choose/engagement/comment"
BULK = "/admin/bulk/engagement/comment"


def views_of(pk: int) -> dict[str, str]:
    """Every admin URL that can show comment `pk` (or list it)."""
    return {
        # Every status: the listing opens on pending comments only.
        "listing": f"{SNIPPETS}/?status=all",
        "listing results": f"{SNIPPETS}/results/?status=all",
        "search": f"{SNIPPETS}/?status=all&q=secret",
        "edit": f"{SNIPPETS}/edit/{pk}/",
        "delete": f"{SNIPPETS}/delete/{pk}/",
        "usage": f"{SNIPPETS}/usage/{pk}/",
        "history": f"{SNIPPETS}/history/{pk}/",
        "history results": f"{SNIPPETS}/history-results/{pk}/",
        "chooser": f"{CHOOSER}/",
        "chooser results": f"{CHOOSER}/results/",
        "chooser search": f"{CHOOSER}/results/?q=secret",
        "chosen": f"{CHOOSER}/chosen/{pk}/",
        "chosen multiple": f"{CHOOSER}/chosen-multiple/?id={pk}",
        "approve page": f"{BULK}/approve/?id={pk}",
        "reject page": f"{BULK}/reject/?id={pk}",
        "spam page": f"{BULK}/spam/?id={pk}",
        "delete page": f"{BULK}/delete/?id={pk}",
        "all page": f"{BULK}/approve/?id=all",
    }


@pytest.fixture
def comments(article_index, author, other_author):
    own = ArticlePageFactory(parent=article_index, author=author)
    theirs = ArticlePageFactory(parent=article_index, author=other_author)

    def make(page, body, status):
        return Comment.objects.create(
            page=page, name="Reader", email="r@example.com", body=body, status=status
        )

    return {
        "mine": make(own, "Kind words on my piece", CommentStatus.PENDING),
        "theirs": make(theirs, "A secret about their piece", CommentStatus.PENDING),
        "spam": make(theirs, "secret spam offer", CommentStatus.SPAM),
    }


def shows(response, text: str) -> bool:
    body = b"".join(response) if response.streaming else response.content
    return text in body.decode()


@pytest.mark.parametrize("view", list(views_of(0)))
def test_an_author_never_sees_comments_on_others_pages(client, author, comments, view):
    client.force_login(author)
    for hidden in (comments["theirs"], comments["spam"]):
        response = client.get(views_of(hidden.pk)[view])
        assert response.status_code < 500
        assert not shows(response, hidden.body), f"{view} shows {hidden.body!r}"


@pytest.mark.parametrize(
    "view",
    # (Authors hold view_comment only: edit and history are not theirs at all.)
    ["listing", "listing results", "chooser", "chooser results", "chosen"],
)
def test_an_author_still_sees_comments_on_own_pages(client, author, comments, view):
    client.force_login(author)
    response = client.get(views_of(comments["mine"].pk)[view])
    assert response.status_code == 200
    assert shows(response, "Kind words")


@pytest.mark.parametrize("view", ["edit", "chosen", "approve page", "chooser results"])
def test_an_editor_sees_every_comment(client, editor, comments, view):
    client.force_login(editor)
    response = client.get(views_of(comments["theirs"].pk)[view])
    assert response.status_code == 200
    assert shows(response, "A secret about their piece")


@pytest.mark.parametrize(
    "query", ["id=", "id=abc", "id=99999999999999999999", "id=-1", ""]
)
@pytest.mark.parametrize("action", ["approve", "delete"])
def test_junk_ids_on_bulk_pages_are_a_404(client, editor, comments, action, query):
    client.force_login(editor)
    assert client.get(f"{BULK}/{action}/?{query}").status_code == 404
    assert client.get(f"{CHOOSER}/chosen/abc/").status_code == 404
    chosen = client.get(f"{CHOOSER}/chosen-multiple/?id=abc&id=")
    assert chosen.status_code == 200
    assert not shows(chosen, "A secret")


def test_an_author_cannot_bulk_delete_others_comments(client, author, comments):
    client.force_login(author)
    hidden = comments["theirs"]
    client.post(f"{BULK}/delete/?id={hidden.pk}")
    assert Comment.objects.filter(pk=hidden.pk).exists()
