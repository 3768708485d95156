"""Reading time counts the words a reader reads, not the markup around them."""

import html as html_lib
import re

import pytest
from django.urls import reverse
from wagtail.rich_text import RichText
from wagtail.test.utils.form_data import rich_text, streamfield

from articles.factories import ArticlePageFactory
from articles.tests.admin_forms import article_form_data
from cms.reading_time import minutes_for, stream_word_count

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


@pytest.mark.parametrize(
    "words, minutes",
    [
        (0, 0),
        (50, 1),  # anything to read takes at least a minute
        (356, 1),  # 1.496 minutes at 238 a minute
        (357, 2),  # 1.5: Math.round rounds halves up (Python's round would not)
        (1000, 4),
    ],
)
def test_minutes_use_wagtails_speed_and_rounding(words, minutes):
    assert minutes_for(words) == minutes


def test_words_are_counted_as_wagtail_segments_them(article_index):
    article = ArticlePageFactory(
        parent=article_index,
        body=[
            (
                "paragraph",
                RichText(
                    "<p>Don&#x27;t stop &mdash; it&nbsp;works, e.g. 1,000 times</p>"
                ),
            )
        ],
    )
    # Don't | stop | it | works | e.g | 1,000 | times: the dash is not a word,
    # and &nbsp; separates two.
    assert stream_word_count(article.body) == 7


def test_the_page_and_wagtails_checks_panel_give_one_figure(
    client, editor, article_index
):
    """Wagtail's Checks panel counts the words in the preview's <main> at 238 a
    minute, rounded; the page's own "min read" must say the same. At 500 words
    the old figure (230 a minute, rounded up, body only) said 3, the panel 2."""
    article = ArticlePageFactory(parent=article_index, title="Known length")
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[article.pk])
    body = "<p>" + "word " * 500 + "</p>"
    form = article_form_data(
        title="Known length",
        slug=article.slug,
        intro="Five words in this intro.",
        body=streamfield([("paragraph", rich_text(body))]),
    )
    assert client.post(url, form).json()["is_valid"] is True
    preview = client.get(url).content.decode()

    main = re.search(r"<main[^>]*>(.*)</main>", preview, re.S).group(1)
    main = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", main, flags=re.S)
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", main))
    panel_minutes = round(len(re.findall(r"\w+", text)) / 238)

    shown = re.search(r"(\d+) min read", text).group(1)
    assert int(shown) == panel_minutes == 2
    assert "comment" not in text.lower()  # reader interactions: not in a preview
