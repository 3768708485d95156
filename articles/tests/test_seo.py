"""SEO metadata: descriptions, canonical URLs, Open Graph / Twitter, JSON-LD."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders

from articles.factories import ArticlePageFactory
from cms.factories import ImageFactory, UserFactory

pytestmark = pytest.mark.django_db


class HeadParser(HTMLParser):
    """Collects <meta>, <link rel=canonical> and JSON-LD blocks."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.canonical = None
        self.json_ld: list = []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta.setdefault(key, attrs.get("content"))
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs["href"]
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json_ld = True

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld.append(json.loads(data))

    def handle_endtag(self, tag):
        self._in_json_ld = False


def head_of(client, url: str) -> HeadParser:
    response = client.get(url)
    assert response.status_code == 200
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def article(article_index):
    author = UserFactory(username="ada", first_name="Ada", last_name="Lovelace")
    return ArticlePageFactory(
        parent=article_index,
        title="Engines & looms",
        slug="engines",
        intro="How punched cards taught machines to weave.",
        author=author,
        tags=["computing"],
        featured_image=ImageFactory(file__width=2000, file__height=1250),
    )


def test_meta_description_falls_back_to_the_intro(
    client, article, django_capture_on_commit_callbacks
):
    head = head_of(client, article.url)
    assert head.meta["description"] == "How punched cards taught machines to weave."
    article.search_description = "A written search description."
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    assert head_of(client, article.url).meta["description"] == (
        "A written search description."
    )


def test_canonical_url_drops_junk_parameters(client, article, article_index):
    assert (
        head_of(client, article.url).canonical == "http://testserver/articles/engines/"
    )
    index = head_of(client, "/articles/?utm_source=x")
    assert index.canonical == "http://testserver/articles/"


def test_open_graph_and_twitter_card_with_a_1200x630_image(client, article):
    meta = head_of(client, article.url).meta
    assert meta["og:type"] == "article"
    assert meta["og:title"] == "Engines & looms"
    assert meta["og:description"] == "How punched cards taught machines to weave."
    assert meta["og:url"] == "http://testserver/articles/engines/"
    assert re.match(
        r"http://testserver/media/images/.+\.fill-1200x630", meta["og:image"]
    )
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    assert meta["article:tag"] == "computing"
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["twitter:image"] == meta["og:image"]


def test_json_ld_news_article(client, article):
    data, trail = head_of(client, article.url).json_ld
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Engines & looms"
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Ada Lovelace",
            "url": "http://testserver/articles/author/ada/",
        }
    ]
    assert data["datePublished"] == article.published_at.isoformat()
    article.refresh_from_db()
    assert data["dateModified"] == article.updated_at.isoformat()
    # The picture in 16:9, 4:3 and 1:1, each 1200 px wide, with its size.
    assert [(i["width"], i["height"]) for i in data["image"]] == [
        (1200, 675),
        (1200, 900),
        (1200, 1200),
    ]
    assert all(
        i["url"].startswith("http://testserver/media/images/") for i in data["image"]
    )
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"]
    assert data["publisher"]["logo"]["url"].startswith("http://testserver/static/")
    assert data["mainEntityOfPage"]["@id"] == "http://testserver/articles/engines/"
    assert trail["@type"] == "BreadcrumbList"
    assert [item["name"] for item in trail["itemListElement"]] == [
        "Home",
        "Articles",
        "Engines & looms",
    ]


def test_json_ld_cannot_be_broken_out_of(client, article_index):
    ArticlePageFactory(
        parent=article_index, title="</script><script>alert(1)</script>", slug="x"
    )
    html = client.get("/articles/x/").content.decode()
    assert "</script><script>alert(1)" not in html
    head = HeadParser()
    head.feed(html)
    assert head.json_ld[0]["headline"] == "</script><script>alert(1)</script>"


def test_other_pages_have_canonical_and_basic_open_graph(client, home_page):
    head = head_of(client, "/")
    assert head.canonical == "http://testserver/"
    assert head.meta["og:type"] == "website"
    (website,) = head.json_ld
    assert website["@type"] == "WebSite"


def title_of(client, url: str) -> str:
    html = client.get(url).content.decode()
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def test_titles_name_the_site_once(client, article, home_page):
    assert title_of(client, "/") == "Presswagon"  # was "Presswagon · Presswagon"
    assert title_of(client, article.url) == "Engines &amp; looms · Presswagon"
    assert title_of(client, "/articles/tag/computing/") == (
        "Articles tagged “computing” · Presswagon"
    )
    assert title_of(client, "/articles/author/ada/") == (
        "Articles by Ada Lovelace · Presswagon"
    )
    assert title_of(client, "/search/?q=looms") == "Search: looms · Presswagon"


@pytest.mark.parametrize(
    "url, og_title",
    [
        ("/", "Presswagon"),
        ("/articles/", "Articles"),
        ("/articles/tag/computing/", "Articles tagged “computing”"),
        ("/articles/author/ada/", "Articles by Ada Lovelace"),
    ],
)
def test_every_page_type_has_a_description_and_an_image(client, article, url, og_title):
    meta = head_of(client, url).meta
    assert meta["description"] and meta["og:description"] == meta["description"]
    assert meta["og:title"] == og_title
    # Listings have no picture of their own: the site's default one.
    assert meta["og:image"] == "http://testserver/static/img/social-default.png"
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")


def test_the_home_page_describes_the_site_and_its_search(client, home_page):
    (website,) = head_of(client, "/").json_ld
    action = website["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == "http://testserver/search/?q={query}"
    logo = website["publisher"]["logo"]
    assert (logo["width"], logo["height"]) == (512, 512)
    assert finders.find(logo["url"].removeprefix("http://testserver/static/"))


def test_listings_are_collection_pages_with_their_items(client, article, article_index):
    other = ArticlePageFactory(parent=article_index, tags=["computing"], slug="looms")
    collection, trail = head_of(client, "/articles/tag/computing/").json_ld
    assert collection["@type"] == "CollectionPage"
    assert collection["url"] == "http://testserver/articles/tag/computing/"
    items = collection["mainEntity"]["itemListElement"]
    assert sorted(item["url"] for item in items) == [
        f"http://testserver{article.url}",
        f"http://testserver{other.url}",
    ]
    assert [item["position"] for item in items] == [1, 2]
    assert [crumb["name"] for crumb in trail["itemListElement"]] == [
        "Home",
        "Articles",
        "Articles tagged “computing”",
    ]


def test_the_sitemap_lists_archives_and_dates_the_home_page(
    client, article, article_index, home_page
):
    ArticlePageFactory(parent=article_index, tags=["unseen"], live=False)
    response = client.get("/sitemap.xml")
    entries = dict(
        re.findall(
            r"<loc>(.*?)</loc>(?:<lastmod>(.*?)</lastmod>)?", response.content.decode()
        )
    )
    assert entries["http://localhost/articles/tag/computing/"]
    assert entries["http://localhost/articles/author/ada/"]
    assert entries["http://localhost/"]  # dated by the newest article
    assert not any("unseen" in url for url in entries)  # only drafts carry it
