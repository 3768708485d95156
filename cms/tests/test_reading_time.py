"""Reading time counts the words a reader reads, not the markup around them."""

import pytest
from wagtail.rich_text import RichText

from articles.factories import ArticlePageFactory
from cms.reading_time import stream_word_count

pytestmark = pytest.mark.django_db


def test_markup_is_not_counted_and_does_not_join_words(article_index):
    article = ArticlePageFactory(
        parent=article_index,
        body=[
            (
                "paragraph",
                RichText(
                    '<p>one</p><p>two <b>three</b> <a href="/x" title="not read">'
                    "four</a></p>"
                ),
            ),
            ("heading", {"text": "five six", "level": "h2"}),
        ],
    )
    assert stream_word_count(article.body) == 6
