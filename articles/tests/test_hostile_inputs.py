"""Hostile inputs: each gets an exact, deliberate status, and nothing is a 500.

The admin upload cases live in cms/tests/test_security.py too; each reader
feature's own tests go further (articles/tests/test_comments.py, search/tests/).
"""

from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from articles.factories import ArticlePageFactory
from cms.tests.images import png_bytes
from cms.tests.test_security import png_claiming

pytestmark = pytest.mark.django_db

LONG = "x" * 5000

# (description, path, expected status) for anonymous GETs.
ANONYMOUS_GETS = [
    ("page: letters", "/articles/?page=abc", 404),
    ("page: negative", "/articles/?page=-1", 404),
    ("page: zero", "/articles/?page=0", 404),
    ("page: far past the end", "/articles/?page=999999", 404),
    ("page: float notation", "/articles/?page=1e9", 404),
    ("page: 5000 digits", f"/articles/?page={'9' * 5000}", 404),
    ("page: NUL", "/articles/?page=%00", 404),
    ("page: decimal", "/articles/?page=2.5", 404),
    ("page: SQL", "/articles/?page=1;DROP%20TABLE%20x", 404),
    ("page: repeated", "/articles/?page=1&page=abc", 404),
    ("page: valid", "/articles/?page=1", 200),
    ("tag archive page: junk", "/articles/tag/rail/?page=abc", 404),
    ("author archive page: junk", "/articles/author/alice/?page=-5", 404),
    ("slug: 5000 characters", f"/articles/{LONG}/", 404),
    (
        "slug: unicode and emoji",
        "/articles/%C3%BCn%C3%AFc%C3%B8d%C3%A9-%F0%9F%98%80/",
        404,
    ),
    ("slug: NUL", "/articles/%00/", 404),
    ("slug: dot-dot", "/articles/%2e%2e/%2e%2e/etc/passwd/", 404),
    ("slug: dot-dot plain", "/articles/../../etc/passwd", 404),
    ("slug: markup", "/articles/%3Cscript%3Ealert(1)%3C%2Fscript%3E/", 404),
    ("tag: NUL", "/articles/tag/%00/", 404),
    ("tag: unknown", "/articles/tag/no-such-tag/", 404),
    ("tag: 5000 characters", f"/articles/tag/{LONG}/", 404),
    ("author: unknown", "/articles/author/nobody/", 404),
    ("author: NUL", "/articles/author/%00/", 404),
    ("author: markup", "/articles/author/%3Cb%3E/", 404),
    ("article: trailing junk", "/articles/real/extra/segments/", 404),
    ("unknown query parameter", "/articles/?debug=1&page=1", 200),
    ("tracking parameter with markup", "/?utm_source=%3Cscript%3E", 200),
    ("anonymous: admin", "/admin/", 302),
    ("anonymous: page editor", "/admin/pages/{article}/edit/", 302),
    ("anonymous: preview", "/admin/pages/{article}/edit/preview/", 302),
    ("anonymous: view draft", "/admin/pages/{article}/view_draft/", 302),
    ("anonymous: revisions", "/admin/pages/{article}/history/", 302),
    ("anonymous: images", "/admin/images/", 302),
    ("anonymous: page cache", "/admin/page-cache/", 302),
    ("anonymous: comment moderation", "/admin/snippets/engagement/comment/", 302),
    ("search: 10,000 characters", f"/search/?q={'x' * 10_000}", 200),
    ("search: 300 words", "/search/?q=" + "+".join(["word"] * 300), 200),
    ("search: NUL", "/search/?q=%00", 200),
    ("search: NUL inside a word", "/search/?q=ra%00il", 200),
    (
        "search: operator soup",
        "/search/?q=%22(a+OR+b)+AND+NOT+-c*%3A%26%7C!%3C-%3E~%5E%5C",
        200,
    ),
    ("search: SQL", "/search/?q=%27%3B+DROP+TABLE+wagtailcore_page%3B+--", 200),
    ("search: junk page", "/search/?q=real&page=abc", 404),
    ("search: unknown tag", "/search/?q=real&tag=no-such-tag", 404),
    ("search: NUL tag", "/search/?q=real&tag=%00", 404),
    ("suggest: NUL", "/search/suggest/?q=%00", 200),
    ("suggest: only hyphens", "/search/suggest/?q=--", 200),
    ("suggest: hyphens and spaces", "/search/suggest/?q=-+-+-", 200),
    ("suggest: 10,000 characters", f"/search/suggest/?q={'x' * 10_000}", 200),
    ("feed: unknown tag", "/feeds/tag/no-such-tag/rss/", 404),
    ("feed: NUL author", "/feeds/author/%00/atom/", 404),
    ("api: limit over the maximum", "/api/v2/articles/?limit=1000", 400),
    ("api: negative offset", "/api/v2/articles/?offset=-1", 400),
    ("api: unknown field", "/api/v2/articles/?fields=password", 400),
    ("api: unknown article", "/api/v2/articles/999999/", 404),
    ("api: article id junk", "/api/v2/articles/abc/", 404),
    ("api: search with NUL", "/api/v2/articles/?search=ra%00il", 200),
    ("api: search of 300 words", "/api/v2/articles/?search=" + "+w" * 300, 200),
    (
        "api: unknown search operator",
        "/api/v2/articles/?search=a&search_operator=x",
        400,
    ),
    ("api: NUL ordering", "/api/v2/articles/?order=%00", 400),
    ("api: junk date filter", "/api/v2/articles/?published_at=abc", 400),
    ("api: junk updated_at filter", "/api/v2/articles/?updated_at=abc", 400),
    ("api: junk first_published_at", "/api/v2/articles/?first_published_at=x", 400),
    ("api: offset past any integer", "/api/v2/articles/?offset=" + "9" * 20, 400),
    ("api: limit past any integer", "/api/v2/articles/?limit=" + "9" * 20, 400),
    ("api: find with NUL", "/api/v2/articles/find/?html_path=%00", 404),
    ("api: find by a word", "/api/v2/articles/find/?id=abc", 404),
    ("api: find by a decimal", "/api/v2/articles/find/?id=0.0", 404),
    ("api: find by an empty id", "/api/v2/articles/find/?id=", 404),
    ("api: find by non-ASCII digits", "/api/v2/articles/find/?id=%D9%A1", 404),
    ("api: find by a 20-digit id", "/api/v2/articles/find/?id=" + "9" * 20, 404),
    ("api: find with NUL id", "/api/v2/articles/find/?id=%00", 404),
    ("api: search of a lone quote", "/api/v2/articles/?search=%22", 200),
    ("api: 20-digit article id", "/api/v2/articles/" + "9" * 20 + "/", 404),
    ("reader: respond to unknown article", "/reader/pages/999999/respond/", 404),
    (
        "reader: GET on the comment endpoint",
        "/reader/pages/{article}/comments/",
        405,
    ),
    ("reader: GET on the view beacon", "/reader/pages/{article}/view/", 405),
]

VALID_COMMENT = {"name": "Ada", "email": "ada@example.com", "body": "Fine words."}

# (description, changes to a valid comment, expected status, stored?)
COMMENT_POSTS = [
    (
        "script payload, stored as text",
        {"body": "<script>alert(1)</script>"},
        201,
        True,
    ),
    ("oversized request", {"body": "x" * 20_000}, 400, False),
    ("body one over the limit", {"body": "x" * 3001}, 400, False),
    ("NUL in the body", {"body": "a\x00b"}, 400, False),
    ("escape sequence in the name", {"name": "\x1b[2J"}, 400, False),
    ("three links", {"body": "http://a.x http://b.x http://c.x"}, 400, False),
    ("not an email", {"email": "ada@"}, 400, False),
    ("filled honeypot: fake success", {"website": "http://spam.example"}, 201, False),
    ("junk submission key", {"submission_key": "' OR 1=1"}, 400, False),
]


@pytest.fixture
def article(article_index):
    from cms.factories import UserFactory

    return ArticlePageFactory(
        parent=article_index,
        slug="real",
        tags=["rail"],
        author=UserFactory(username="alice"),
    )


@pytest.mark.parametrize(
    "description, path, expected", ANONYMOUS_GETS, ids=[c[0] for c in ANONYMOUS_GETS]
)
def test_anonymous_hostile_get(client, article, description, path, expected):
    client.raise_request_exception = False
    response = client.get(path.format(article=article.pk))
    assert response.status_code == expected, description
    if expected == 302:
        assert response["Location"].startswith("/admin/login/")


def test_api_find_by_a_real_id_still_redirects_to_the_article(client, article):
    response = client.get(f"/api/v2/articles/find/?id={article.pk}")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == f"/api/v2/articles/{article.pk}/"


@pytest.mark.parametrize(
    "host",
    ["evil.example.com", "127.0.0.1.evil.example.com", "localhost:99999x", "a" * 300],
)
def test_forged_host_header_is_400(client, article, host):
    client.raise_request_exception = False
    assert client.get(article.url, HTTP_HOST=host).status_code == 400


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_unsupported_methods_on_pages_are_405(client, article, method):
    assert getattr(client, method)(article.url).status_code == 405


def test_post_with_more_than_10000_fields_is_400(article):
    browser = Client(enforce_csrf_checks=True)
    token = browser.get("/csrf/").json()["token"]
    fields = [f"csrfmiddlewaretoken={token}", *(f"f{n}=1" for n in range(10_001))]
    response = browser.post(
        article.url, "&".join(fields), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400


def test_post_without_csrf_token_is_403(article):
    assert Client(enforce_csrf_checks=True).post("/csrf/").status_code in (403, 405)
    assert (
        Client(enforce_csrf_checks=True)
        .post("/admin/login/", {"username": "x", "password": "y"})
        .status_code
        == 403
    )


@pytest.mark.parametrize(
    "view", ["edit", "preview_on_edit", "history", "delete", "unpublish"]
)
def test_author_reaching_for_another_authors_draft(
    client, author, other_author, article_index, view
):
    draft = ArticlePageFactory(
        parent=article_index,
        owner=other_author,
        author=other_author,
        live=False,
        title="Private draft",
    )
    draft.save_revision(user=other_author)
    client.force_login(author)

    response = client.get(reverse(f"wagtailadmin_pages:{view}", args=[draft.pk]))

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert "Private draft" not in response.content.decode()


def test_author_reaching_for_another_authors_revision(
    client, author, other_author, article_index
):
    draft = ArticlePageFactory(parent=article_index, owner=other_author, live=False)
    revision = draft.save_revision(user=other_author)
    client.force_login(author)
    url = reverse("wagtailadmin_pages:revisions_view", args=[draft.pk, revision.pk])
    assert client.get(url).status_code == 302


@pytest.mark.parametrize(
    "name, content",
    [
        ("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
        ("bomb.png", None),
        ("not-an-image.png", b"MZ\x90\x00 this is an executable"),
    ],
    ids=["svg", "decompression-bomb", "fake-png"],
)
def test_hostile_image_uploads_are_form_errors(client, editor, name, content):
    client.force_login(editor)
    upload = SimpleUploadedFile(name, content or png_claiming(30_000, 30_000))
    response = client.post(
        reverse("wagtailimages:add"),
        {"title": "hostile", "collection": 1, "file": upload},
    )
    assert response.status_code == 200
    assert 'class="error-message"' in response.content.decode() or (
        "error" in response.content.decode()
    )


def test_a_normal_upload_still_works(client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("ok.png", png_bytes((20, 20)), content_type="image/png")
    response = client.post(
        reverse("wagtailimages:add"), {"title": "ok", "collection": 1, "file": upload}
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "description, changes, expected, stored",
    COMMENT_POSTS,
    ids=[case[0] for case in COMMENT_POSTS],
)
def test_hostile_comment_posts(client, article, description, changes, expected, stored):
    from engagement.models import Comment

    response = client.post(
        f"/reader/pages/{article.pk}/comments/",
        {**VALID_COMMENT, **changes},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == expected, description
    assert Comment.objects.exists() == stored


def test_comment_without_csrf_token_is_403(article):
    response = Client(enforce_csrf_checks=True).post(
        f"/reader/pages/{article.pk}/comments/", VALID_COMMENT
    )
    assert response.status_code == 403


def test_comment_flood_is_429(client, article, settings):
    settings.COMMENT_RATE_LIMIT = "5/600"
    url = f"/reader/pages/{article.pk}/comments/"
    statuses = [client.post(url, VALID_COMMENT).status_code for _ in range(8)]
    assert statuses == [302] * 5 + [429] * 3


@pytest.mark.parametrize("score", ["6", "0", "NaN", "1e3", "", "%00"])
def test_hostile_ratings_are_400(client, article, score):
    client.get(f"/reader/pages/{article.pk}/respond/")  # a reader, with a token
    response = client.post(f"/reader/pages/{article.pk}/rating/", {"score": score})
    assert response.status_code == 400


def test_hostile_view_beacons(client, article):
    assert client.post("/reader/pages/999999/view/").status_code == 204  # a bot
    browser = {"HTTP_USER_AGENT": "Mozilla/5.0 Firefox/130"}
    assert client.post("/reader/pages/999999/view/", **browser).status_code == 404
    assert (
        client.post(f"/reader/pages/{article.pk}/view/", **browser).status_code == 204
    )
