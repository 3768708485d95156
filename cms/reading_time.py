"""Reading time of a page, the same figure Wagtail's "Checks" panel shows.

Wagtail's content metrics (the Checks side panel, wagtail 7.4 `extractMetrics`)
count the word-like segments of the preview's `<main>` (Intl.Segmenter) and
divide by 238 words a minute for English, rounded to the nearest minute
(`Math.round`). The site used 230 a minute rounded up, over the body alone, so the
page said "1 min read" where the panel said "2 mins". Here: the same speed and
rounding, over the title, intro and body. The article's preview leaves out the
rating and comments, so what else the panel counts there (byline, tags, the
related articles' titles) is a few dozen words, a fraction of a minute.
"""

import html
import math
import re

# Wagtail's reading speed for English (its table is per language; the site is
# in English).
WORDS_PER_MINUTE = 238
TEXT_BLOCKS = {"heading": "text", "quote": "quote", "code": "code"}
# Counting words needs no HTML parser (Django's strip_tags runs one, a good part
# of an article's render): a tag becomes a space, which also keeps the last word
# of one paragraph apart from the first of the next.
TAG = re.compile(r"<[^>]*>")
# A word as Unicode word segmentation (UAX #29, what Intl.Segmenter follows) sees
# it, near enough: letters or digits, joined across an inner apostrophe, period
# or comma ("don't", "e.g", "1,000"); dashes and punctuation alone are not words.
WORD = re.compile(r"\w+(?:[.,'’]\w+)*")


def word_count(text: str) -> int:
    return len(WORD.findall(text))


def stream_word_count(stream) -> int:
    words = 0
    for block in stream:
        if block.block_type == "paragraph":
            text = html.unescape(TAG.sub(" ", block.value.source))
        elif block.block_type in TEXT_BLOCKS:
            text = block.value.get(TEXT_BLOCKS[block.block_type], "")
        elif block.block_type == "image":
            text = block.value.get("caption", "")
        else:
            text = ""
        words += word_count(text)
    return words


def minutes_for(words: int) -> int:
    """Wagtail's rounding (JavaScript's Math.round: halves go up), at least one
    minute for anything to read."""
    if not words:
        return 0
    return max(1, math.floor(words / WORDS_PER_MINUTE + 0.5))


def reading_minutes(stream, *texts: str) -> int:
    """Minutes to read a body and the texts shown with it (title, intro); 0 for
    an empty body."""
    body_words = stream_word_count(stream)
    if not body_words:
        return 0
    return minutes_for(body_words + sum(word_count(text or "") for text in texts))
