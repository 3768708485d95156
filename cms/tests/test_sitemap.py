"""sitemap.xml and robots.txt: published, public pages only; cached and purged."""

import defusedxml.ElementTree as ET
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from articles.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_entries(client) -> dict[str, str | None]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {
        url.findtext("s:loc", namespaces=NS): url.findtext("s:lastmod", namespaces=NS)
        for url in root.findall("s:url", NS)
    }


def test_sitemap_lists_published_public_pages_with_lastmod(client, article_index):
    published = ArticlePageFactory(parent=article_index, slug="out")
    published.save_revision().publish(skip_permission_checks=True)
    ArticlePageFactory(parent=article_index, slug="draft", live=False)
    private = ArticlePageFactory(parent=article_index, slug="members")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )

    entries = sitemap_entries(client)

    assert "http://localhost/articles/out/" in entries
    assert entries["http://localhost/articles/out/"]  # lastmod present
    assert not any("draft" in url or "members" in url for url in entries)


def test_sitemap_is_cached_and_purged_when_a_page_is_published(
    client, article_index, django_capture_on_commit_callbacks
):
    sitemap_entries(client)
    assert client.get("/sitemap.xml")["X-Wagtail-Cache"] == "hit"

    new = ArticlePageFactory(parent=article_index, slug="fresh", live=False)
    with django_capture_on_commit_callbacks(execute=True):
        new.save_revision().publish(skip_permission_checks=True)

    assert "http://localhost/articles/fresh/" in sitemap_entries(client)


def test_sitemap_query_count_does_not_grow(client, article_index, settings):
    settings.WAGTAIL_CACHE = False

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get("/sitemap.xml")
        return len(captured.captured_queries)

    for _ in range(5):
        ArticlePageFactory(parent=article_index)
    client.get("/sitemap.xml")
    few = count()
    for _ in range(30):
        ArticlePageFactory(parent=article_index)
    client.get("/sitemap.xml")  # the page count, kept until the next change
    assert count() == few


def test_past_a_section_the_sitemap_is_an_index_of_sections(
    client, article_index, monkeypatch, settings
):
    from cms import sitemap

    settings.WAGTAIL_CACHE = False
    for n in range(7):
        ArticlePageFactory(parent=article_index, slug=f"story-{n}")
    monkeypatch.setattr(sitemap, "SECTION_SIZE", 4)
    monkeypatch.setattr(sitemap.SectionedSitemap, "limit", 4)

    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    sections = [loc.text for loc in root.findall("s:sitemap/s:loc", NS)]
    # Home, index and 7 stories: 9 pages, in sections of 4.
    assert [url.split("/", 3)[3] for url in sections] == [
        f"sitemap.xml?p={n}" for n in (1, 2, 3)
    ]

    listed = []
    for n in (1, 2, 3):
        section = ET.fromstring(client.get(f"/sitemap.xml?p={n}").content)
        listed += [url.findtext("s:loc", namespaces=NS) for url in section]
    stories = [url for url in listed if "/story-" in url]
    assert sorted(stories) == [
        f"http://localhost/articles/story-{n}/" for n in range(7)
    ]
    assert len(listed) == len(set(listed))
    assert client.get("/sitemap.xml?p=4").status_code == 404
    assert client.get("/sitemap.xml?p=x").status_code == 404


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()
