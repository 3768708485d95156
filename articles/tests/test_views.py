import datetime
import re

import pytest
from django.utils import timezone

from articles.factories import ArticlePageFactory
from cms.factories import UserFactory

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def card_titles(html: str) -> list[str]:
    return re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def twelve_articles(article_index):
    now = timezone.now()
    return [
        ArticlePageFactory(
            parent=article_index,
            title=f"Story {n:02d}",
            published_at=now - datetime.timedelta(hours=n),
        )
        for n in range(12)
    ]


def test_index_lists_published_articles_newest_first_ten_per_page(
    client, article_index, twelve_articles
):
    ArticlePageFactory(parent=article_index, title="Unpublished draft", live=False)

    first = card_titles(html_of(client.get("/articles/")))
    second = card_titles(html_of(client.get("/articles/?page=2")))

    assert first == [f"Story {n:02d}" for n in range(10)]
    assert second == ["Story 10", "Story 11"]


@pytest.mark.parametrize(
    "junk", ["abc", "-1", "0", "999999", "1e9", "1" * 5000, "%00", "2.5", ""]
)
def test_junk_page_numbers_are_404_or_first_page_never_500(
    client, article_index, twelve_articles, junk
):
    response = client.get("/articles/", {"page": junk})
    if junk == "":
        assert response.status_code == 200
    else:
        assert response.status_code == 404


def test_tag_archive_lists_only_that_tag(client, article_index):
    ArticlePageFactory(parent=article_index, title="About Rust", tags=["rust"])
    ArticlePageFactory(parent=article_index, title="About Go", tags=["go"])

    html = html_of(client.get("/articles/tag/rust/"))

    assert card_titles(html) == ["About Rust"]
    assert "Tagged “rust”" in html


def test_tag_archive_for_unknown_tag_is_404(client, article_index):
    assert client.get("/articles/tag/no-such-tag/").status_code == 404


def test_a_tag_archive_shows_an_empty_state(client, article_index):
    """(An author archive without articles is a 404: test_account_enumeration.)"""
    ArticlePageFactory(parent=article_index, tags=["lonely"], live=False)

    html = html_of(client.get("/articles/tag/lonely/"))
    assert "No articles here yet" in html
    assert card_titles(html) == []


def test_author_archive_lists_that_authors_articles(client, article_index):
    alice = UserFactory(username="alice", first_name="Alice", last_name="Munro")
    ArticlePageFactory(parent=article_index, title="By Alice", author=alice)
    ArticlePageFactory(parent=article_index, title="By someone else")

    html = html_of(client.get("/articles/author/alice/"))

    assert card_titles(html) == ["By Alice"]
    assert "Articles by Alice Munro" in html
    assert client.get("/articles/author/nobody/").status_code == 404


def test_archives_paginate_and_reject_junk_pages(client, article_index):
    for n in range(11):
        ArticlePageFactory(parent=article_index, title=f"Tagged {n}", tags=["t"])
    assert len(card_titles(html_of(client.get("/articles/tag/t/?page=2")))) == 1
    assert client.get("/articles/tag/t/?page=3").status_code == 404


def test_article_page_shows_everything_a_reader_needs(client, article_index):
    author = UserFactory(
        username="alice", first_name="Alice", last_name="Munro", bio="Writes stories."
    )
    article = ArticlePageFactory(
        parent=article_index,
        title="The bridge",
        author=author,
        intro="How a bridge was built.",
        tags=["bridges", "engineering"],
    )

    html = html_of(client.get(article.url))

    assert "<h1" in html and "The bridge" in html
    assert "How a bridge was built." in html
    assert "Alice Munro" in html and "Writes stories." in html
    # Whole seconds: HTML allows at most three fractional digits, Python prints six.
    published = article.published_at.replace(microsecond=0).isoformat()
    assert f'datetime="{published}"' in html
    assert re.search(r"\d+ min read", html)
    assert 'type="image/webp"' in html and "srcset=" in html
    assert 'href="/articles/tag/bridges/"' in html
    assert 'href="/articles/author/alice/"' in html
    assert "A quotable line." in html  # a body block rendered


def test_article_page_links_related_and_neighbouring_articles(client, article_index):
    now = timezone.now()

    def make(title, tags, days):
        return ArticlePageFactory(
            parent=article_index,
            title=title,
            tags=tags,
            published_at=now - datetime.timedelta(days=days),
        )

    older = make("Older", [], 6)
    subject = make("Subject", ["x", "y"], 5)
    newer = make("Newer", [], 4)
    make("Shares x and y", ["x", "y"], 8)
    make("Shares x", ["x"], 7)
    make("Shares y", ["y"], 20)
    make("Shares nothing", ["z"], 2)

    html = html_of(client.get(subject.url))
    related = html.split('id="related-title"')[1]

    assert card_titles(related) == ["Shares x and y", "Shares x", "Shares y"]
    assert re.search(rf'rel="prev" href="{older.url}"', html)
    assert re.search(rf'rel="next" href="{newer.url}"', html)


def test_home_page_shows_featured_and_latest_articles(client, home_page, article_index):
    ArticlePageFactory(parent=article_index, title="Front page story", featured=True)
    for n in range(12):
        ArticlePageFactory(parent=article_index, title=f"Latest {n}")

    html = html_of(client.get("/"))
    featured = html.split('id="featured-title"')[1].split('id="latest-title"')[0]
    latest = html.split('id="latest-title"')[1]

    assert card_titles(featured) == ["Front page story"]
    assert len(card_titles(latest)) == 10
    assert "Front page story" not in latest
    assert 'href="/articles/"' in latest


def test_the_hero_image_carries_the_alt_text_editors_gave_it(client, article_index):
    article = ArticlePageFactory(parent=article_index)
    article.featured_image.description = "Fishing boats moored in the harbour at dawn"
    article.featured_image.save()

    html = client.get(article.url).content.decode()

    hero = html.split('class="article__hero"')[1].split("</figure>")[0]
    assert 'alt="Fishing boats moored in the harbour at dawn"' in hero
