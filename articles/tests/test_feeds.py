"""RSS and Atom feeds, parsed as XML and checked entry by entry."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from articles.factories import ArticlePageFactory
from articles.tests.query_counts import queries_for
from cms.factories import UserFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def articles(article_index):
    now = timezone.now()
    ada = UserFactory(username="ada", first_name="Ada", last_name="Lovelace")
    newest = ArticlePageFactory(
        parent=article_index,
        title="Engines & <looms>",
        intro="A whole summary of the piece.",
        author=ada,
        tags=["computing", "history"],
        published_at=now - datetime.timedelta(hours=1),
    )
    older = ArticlePageFactory(
        parent=article_index,
        title="Tides",
        tags=["sea"],
        published_at=now - datetime.timedelta(days=2),
    )
    draft = ArticlePageFactory(parent=article_index, title="Unpublished draft")
    draft.unpublish()
    return newest, older


def rss_items(client, url: str) -> list:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content).find("channel").findall("item")


def test_rss_lists_published_articles_newest_first_with_everything(client, articles):
    newest, _ = articles
    items = rss_items(client, "/feeds/rss/")
    assert [item.findtext("title") for item in items] == ["Engines & <looms>", "Tides"]
    first = items[0]
    assert first.findtext("description") == "A whole summary of the piece."
    assert first.findtext("link") == f"http://testserver{newest.url}"
    assert "Ada Lovelace" in first.findtext("{http://purl.org/dc/elements/1.1/}creator")
    assert sorted(c.text for c in first.findall("category")) == ["computing", "history"]
    published = first.findtext("pubDate")
    assert published == newest.published_at.strftime("%a, %d %b %Y %H:%M:%S +0000")
    enclosure = first.find("enclosure")
    assert enclosure.get("type") == "image/jpeg"
    assert enclosure.get("url").startswith("http://testserver/media/images/")
    assert ".fill-1200x630" in enclosure.get("url")
    assert int(enclosure.get("length")) > 0


def test_atom_feed_has_dates_authors_and_categories(client, articles):
    newest, _ = articles
    response = client.get("/feeds/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Engines & <looms>",
        "Tides",
    ]
    first = entries[0]
    assert first.find(f"{ATOM}author").findtext(f"{ATOM}name") == "Ada Lovelace"
    assert first.findtext(f"{ATOM}published").startswith(
        newest.published_at.strftime("%Y-%m-%dT%H:%M")
    )
    assert first.findtext(f"{ATOM}updated")
    assert {c.get("term") for c in first.findall(f"{ATOM}category")} == {
        "computing",
        "history",
    }
    enclosure = first.find(f"{ATOM}link[@rel='enclosure']")
    assert enclosure.get("type") == "image/jpeg"


def test_tag_and_author_feeds(client, articles):
    titles = [i.findtext("title") for i in rss_items(client, "/feeds/tag/sea/rss/")]
    assert titles == ["Tides"]
    by_ada = rss_items(client, "/feeds/author/ada/rss/")
    assert [i.findtext("title") for i in by_ada] == ["Engines & <looms>"]
    atom = client.get("/feeds/tag/history/atom/")
    assert len(ET.fromstring(atom.content).findall(f"{ATOM}entry")) == 1
    assert client.get("/feeds/tag/nope/rss/").status_code == 404
    assert client.get("/feeds/author/nobody/atom/").status_code == 404


def test_pages_link_their_feeds(client, articles):
    home = client.get("/").content.decode()
    assert 'type="application/rss+xml"' in home and 'href="/feeds/rss/"' in home
    assert 'href="/feeds/atom/"' in home
    tag_page = client.get("/articles/tag/sea/").content.decode()
    assert 'href="/feeds/tag/sea/rss/"' in tag_page
    author_page = client.get("/articles/author/ada/").content.decode()
    assert 'href="/feeds/author/ada/atom/"' in author_page


def test_feeds_are_cached_and_purged_when_an_article_changes(
    client, articles, django_capture_on_commit_callbacks
):
    newest, _ = articles
    client.get("/feeds/rss/")
    assert client.get("/feeds/rss/")["X-Wagtail-Cache"] == "hit"
    newest.title = "Engines, revised"
    with django_capture_on_commit_callbacks(execute=True):
        newest.save_revision().publish()
    response = client.get("/feeds/rss/")
    assert response["X-Wagtail-Cache"] == "miss"
    assert b"Engines, revised" in response.content


def test_feed_query_count_does_not_grow(client, article_index, settings):
    settings.WAGTAIL_CACHE = False

    for _ in range(3):
        ArticlePageFactory(parent=article_index, tags=["a"])
    few = queries_for(client, "/feeds/rss/")
    for _ in range(25):
        ArticlePageFactory(parent=article_index, tags=["a"])
    many = queries_for(client, "/feeds/rss/")
    print("feed queries with 3 and 28 articles:", few, many)
    assert few == many <= 8
