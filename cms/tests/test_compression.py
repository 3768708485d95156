"""Compression: gzip for text when asked, never for responses that may carry a
secret (BREACH), never a gzipped body to a client that did not ask, on cache
misses and hits alike (both backends: Redis entries and in-process copies hold
the gzipped body beside the plain one)."""

import gzip

import pytest
from django.core.files.base import ContentFile
from django.http import FileResponse, HttpResponse
from django.test import RequestFactory
from django.utils.cache import has_vary_header
from wagtail.documents.models import Document

from articles.factories import ArticlePageFactory
from cms import compression
from cms.page_cache.store import get_store

pytestmark = pytest.mark.django_db

HEADER = "X-Wagtail-Cache"
GZIP = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.fixture
def article(article_index):
    return ArticlePageFactory(
        parent=article_index, title="Night trains return", tags=["rail"]
    )


def plain(response) -> bytes:
    if response.get("Content-Encoding") == "gzip":
        return gzip.decompress(response.content)
    return response.content


TEXT_URLS = [
    "/",
    "ARTICLE",
    "/articles/",
    "/feeds/rss/",
    "/feeds/atom/",
    "/sitemap.xml",
    "/api/v2/articles/",
    "/search/?q=trains",
]


@pytest.mark.parametrize("url", TEXT_URLS)
def test_text_is_gzipped_when_asked_on_a_miss_and_on_a_hit(client, article, url):
    url = article.url if url == "ARTICLE" else url
    reference = client.get(url)  # no Accept-Encoding: the plain body
    assert "Content-Encoding" not in reference
    assert has_vary_header(reference, "Accept-Encoding")
    get_store().clear()

    miss = client.get(url, headers=GZIP)
    hit = client.get(url, headers=GZIP)

    for response in (miss, hit):
        assert response["Content-Encoding"] == "gzip"
        assert has_vary_header(response, "Accept-Encoding")
        assert int(response["Content-Length"]) == len(response.content)
        assert len(response.content) < len(reference.content)
        assert plain(response) == reference.content
    if url != "/search/?q=trains":  # search results are never cached
        assert (miss[HEADER], hit[HEADER]) == ("miss", "hit")
        assert hit.content == miss.content  # the stored gzip, not a new one


@pytest.mark.parametrize("first", ["gzip", "identity"])
def test_the_cache_never_serves_gzip_to_a_client_that_did_not_ask(
    client, article, first
):
    """One entry per URL holds both bodies, whichever client came first."""
    asks = {"gzip": GZIP, "identity": {}}
    client.get(article.url, headers=asks[first])

    without = client.get(article.url)
    identity = client.get(article.url, headers={"Accept-Encoding": "identity"})
    with_gzip = client.get(article.url, headers=GZIP)

    for response in (without, identity):
        assert response[HEADER] == "hit"
        assert "Content-Encoding" not in response
        assert b"Night trains return" in response.content
        assert has_vary_header(response, "Accept-Encoding")
    assert with_gzip[HEADER] == "hit"
    assert with_gzip["Content-Encoding"] == "gzip"


def test_a_compressed_hit_keeps_a_weak_form_of_the_etag_and_revalidates(
    client, article
):
    etag = client.get(article.url)["ETag"]
    compressed = client.get(article.url, headers=GZIP)

    assert compressed["ETag"] == f"W/{etag}"
    revalidated = client.get(
        article.url, headers={**GZIP, "If-None-Match": compressed["ETag"]}
    )
    assert revalidated.status_code == 304


def test_robots_txt_is_text_and_compressed_once_long_enough():
    """robots.txt is short (under the 200-byte floor, where gzip gains nothing);
    text/plain itself qualifies."""
    body = HttpResponse("User-agent: *\n" * 30, content_type="text/plain")
    assert compression.response_may_be_compressed(body)
    short = HttpResponse("User-agent: *\n", content_type="text/plain")
    assert not compression.response_may_be_compressed(short)


def test_pages_that_carry_a_csrf_token_are_not_compressed(client, article, settings):
    """The respond page renders a form with a CSRF token, which sets the cookie:
    not compressed, even with its path taken off the exclusion list."""
    settings.COMPRESSION_EXCLUDED_PATHS = []
    response = client.get(f"/reader/pages/{article.pk}/respond/", headers=GZIP)

    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert "csrftoken" in response.cookies
    assert "Content-Encoding" not in response
    assert not has_vary_header(response, "Accept-Encoding")


def test_the_csrf_endpoint_is_not_compressed(client, settings):
    settings.COMPRESSION_EXCLUDED_PATHS = []  # the rule, not the list, refuses it
    response = client.get("/csrf/", headers=GZIP)
    assert "Content-Encoding" not in response


def test_admin_pages_and_logged_in_readers_get_no_compression(
    client, article, superuser
):
    login = client.get("/admin/login/", headers=GZIP)
    assert "Content-Encoding" not in login

    client.force_login(superuser)
    for url in ("/admin/", article.url):
        response = client.get(url, headers=GZIP)
        assert response.status_code == 200, url
        assert "Content-Encoding" not in response, url


@pytest.mark.parametrize(
    ("make_response", "compressible"),
    [
        (lambda: HttpResponse("x" * 500), True),
        (lambda: HttpResponse("x" * 500, content_type="application/rss+xml"), True),
        (lambda: HttpResponse("x" * 500, content_type="image/jpeg"), False),
        (lambda: HttpResponse("x" * 500, headers={"Cache-Control": "private"}), False),
        (lambda: HttpResponse("x" * 500, headers={"Cache-Control": "no-store"}), False),
        (lambda: HttpResponse("x" * 500, headers={"Content-Encoding": "br"}), False),
        (lambda: FileResponse(iter([b"x" * 500]), content_type="text/plain"), False),
    ],
    ids=["html", "rss", "jpeg", "private", "no-store", "encoded", "streaming"],
)
def test_which_responses_may_be_compressed(make_response, compressible):
    assert compression.response_may_be_compressed(make_response()) is compressible


def test_a_response_setting_a_cookie_is_never_compressed():
    response = HttpResponse("x" * 500)
    response.set_cookie("sessionid", "secret")
    assert not compression.response_may_be_compressed(response)


@pytest.mark.parametrize(
    ("path", "headers", "allowed"),
    [
        ("/articles/", {}, True),
        ("/admin/pages/", {}, False),
        ("/reader/pages/1/respond/", {}, False),
        ("/articles/", {"HTTP_COOKIE": "sessionid=abc"}, False),
        ("/articles/", {"HTTP_AUTHORIZATION": "Bearer x"}, False),
    ],
)
def test_which_requests_may_be_answered_compressed(path, headers, allowed):
    request = RequestFactory().get(path, **headers)
    assert compression.request_may_be_compressed(request) is allowed


def test_streamed_files_are_not_buffered_nor_compressed(client, settings):
    """Media and documents are FileResponses: passed through as streams."""
    document = Document(title="Timetable")
    document.file.save("timetable.txt", ContentFile(b"08:00 Paris\n" * 200))
    document.save()
    settings.WAGTAILDOCS_SERVE_METHOD = "serve_view"

    response = client.get(document.url, headers=GZIP)

    assert response.status_code == 200
    assert response.streaming
    # (Wagtail's document view itself says "Content-Encoding: None".)
    assert response.get("Content-Encoding") != "gzip"
    assert not has_vary_header(response, "Accept-Encoding")
    assert b"".join(response.streaming_content) == b"08:00 Paris\n" * 200
