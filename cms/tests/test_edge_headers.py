"""What the edge may keep: the responses the page cache keeps, with their tags in
the header each configured edge reads and Cache-Control for shared caches; nothing
private, personal, previewed or cookie-setting."""

import re

import pytest
from wagtail.models import PageViewRestriction

from articles.factories import ArticlePageFactory
from cms.edge import headers
from cms.edge.tags import SITE_WIDE, edge_tag
from cms.page_cache.tags import page_tag

pytestmark = pytest.mark.django_db

SHARED = re.compile(r"s-maxage=\d+")


@pytest.fixture
def varnish(settings):
    settings.VARNISH_URLS = ["http://127.0.0.1:6081"]
    return settings


@pytest.fixture
def article(article_index):
    return ArticlePageFactory(parent=article_index)


def tags_in(response, header="xkey", separator=" ") -> set[str]:
    return set(response[header].split(separator))


def test_a_kept_page_names_its_tags_and_its_lifetime_for_the_edge(
    varnish, client, article
):
    response = client.get(article.url)
    assert response["X-Wagtail-Cache"] == "miss"
    cache_control = {d.strip() for d in response["Cache-Control"].split(",")}
    assert cache_control == {
        "public",
        "max-age=0",  # browsers revalidate: only purged caches keep pages
        f"s-maxage={varnish.EDGE_MAX_AGE}",
        f"stale-while-revalidate={varnish.EDGE_STALE_WHILE_REVALIDATE}",
    }
    tags = tags_in(response)
    assert edge_tag(page_tag(article.pk)) in tags
    assert edge_tag(SITE_WIDE) in tags  # clearing the site reaches it too
    assert all(re.fullmatch(r"pw-[0-9a-f]{16}", tag) for tag in tags)


def test_a_hit_carries_the_same_tags_and_its_age(varnish, client, article):
    first = client.get(article.url)
    stored = client.get(article.url)
    assert stored["X-Wagtail-Cache"] == "hit"
    assert tags_in(stored) == tags_in(first)
    assert SHARED.search(stored["Cache-Control"])
    assert int(stored.get("Age", "0")) >= 0


def test_each_cdn_gets_its_own_header(settings, client, article):
    settings.CDN = "cloudflare"
    settings.CLOUDFLARE_ZONE_ID, settings.CLOUDFLARE_API_TOKEN = "zone", "token"
    cloudflare = client.get(article.url)
    assert edge_tag(page_tag(article.pk)) in tags_in(cloudflare, "Cache-Tag", ",")
    assert not cloudflare.has_header("xkey")
    assert not cloudflare.has_header("Surrogate-Key")

    settings.CDN = "fastly"
    settings.FASTLY_SERVICE_ID, settings.FASTLY_API_TOKEN = "service", "token"
    fastly = client.get(article.url)
    assert edge_tag(page_tag(article.pk)) in tags_in(fastly, "Surrogate-Key")
    assert not fastly.has_header("Cache-Tag")


def test_without_an_edge_no_shared_cache_may_keep_pages(client, article):
    response = client.get(article.url)
    assert response["X-Wagtail-Cache"] == "miss"
    assert not SHARED.search(response["Cache-Control"])
    assert not response.has_header("xkey")


def test_a_not_found_is_kept_at_the_edge_only_briefly(varnish, client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert (
        f"s-maxage={varnish.PAGE_CACHE_NOT_FOUND_TIMEOUT}" in response["Cache-Control"]
    )


def test_logged_in_readers_get_nothing_the_edge_may_keep(
    varnish, client, article, editor
):
    client.force_login(editor)
    response = client.get(article.url)
    assert response.status_code == 200
    assert not SHARED.search(response.get("Cache-Control", ""))
    assert not response.has_header("xkey")


def test_password_protected_pages_are_private_everywhere(varnish, client, article):
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="pw"
    )
    response = client.get(article.url)
    assert "private" in response["Cache-Control"]
    assert not SHARED.search(response["Cache-Control"])
    assert not response.has_header("xkey")


@pytest.mark.parametrize("path", ["/csrf/", "/admin/login/", "/search/?q=river"])
def test_per_visitor_and_uncached_endpoints_are_not_for_the_edge(
    varnish, client, home_page, path
):
    response = client.get(path)
    assert not SHARED.search(response.get("Cache-Control", "")), path
    assert not response.has_header("xkey")


def test_a_cookie_setting_response_is_not_for_the_edge(varnish, client, article):
    # The article view hands a reader token to first-time readers through the
    # view beacon, never on the cached page itself; a page that sets a cookie is
    # neither stored nor marked for the edge.
    response = client.get(article.url)
    assert not response.cookies
    assert SHARED.search(response["Cache-Control"])
    beacon = client.get("/csrf/")
    assert beacon.cookies
    assert not SHARED.search(beacon.get("Cache-Control", ""))


def test_a_page_with_more_tags_than_an_edge_takes_is_not_kept_there(
    varnish, client, article, monkeypatch
):
    monkeypatch.setattr(headers, "MAX_HEADER_BYTES", 40)
    response = client.get(article.url)
    assert response["X-Wagtail-Cache"] == "miss"  # still kept by the page cache
    assert not SHARED.search(response["Cache-Control"])
    assert not response.has_header("xkey")
