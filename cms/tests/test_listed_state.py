"""What other pages show of a page, before and after a change
(cms/page_cache/listed_state.py)."""

import pytest
from wagtail.blocks import StreamValue

from articles.factories import ArticlePageFactory
from articles.models import ArticlePage
from cms.page_cache import listed_state
from cms.page_cache.listed_state import listed_change

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(article_index):
    made = ArticlePageFactory(parent=article_index, title="Before", tags=["rail"])
    return ArticlePage.objects.get(pk=made.pk)


def test_a_body_edit_is_not_a_listed_change(article):
    blocks = [*article.body.raw_data, {"type": "paragraph", "value": "<p>More.</p>"}]
    article.body = StreamValue(article.body.stream_block, blocks, is_lazy=True)
    article.save()
    assert listed_change(article) is False


@pytest.mark.parametrize(
    "change",
    [
        {"title": "After"},
        {"intro": "Another intro"},
        {"live": False},
        {"featured": True},
    ],
)
def test_a_change_to_what_cards_show_is_a_listed_change(article, change):
    for name, value in change.items():
        setattr(article, name, value)
    article.save()
    assert listed_change(article) is True


def test_a_change_of_tags_is_a_listed_change(article):
    article.tags.set(["ferries"])
    article.save()
    assert listed_change(article) is True


def test_the_first_save_of_a_change_is_what_counts(article):
    article.title = "After"
    article.save()  # remembers "Before"
    article.save()  # stored now equals the instance: must not hide the change
    assert listed_change(article) is True
    # Consumed: a second look does not know, and counts it as shown everywhere.
    assert listed_change(article) is True


def test_saving_only_draft_pointers_takes_no_snapshot(article):
    article.save(update_fields=["has_unpublished_changes"])
    assert not hasattr(article, listed_state._BEFORE)
    assert listed_change(article) is True  # unknown: shown everywhere


def test_a_page_type_that_declares_nothing_counts_every_change(home_page):
    home_page.title = "Front"
    home_page.save()
    assert listed_change(home_page) is True
