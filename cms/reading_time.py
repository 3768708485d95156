"""Reading time of a StreamField body, from the words a reader actually reads."""

import math
import re

WORDS_PER_MINUTE = 230
TEXT_BLOCKS = {"heading": "text", "quote": "quote", "code": "code"}
# Counting words needs no HTML parser (Django's strip_tags runs one, a good part
# of an article's render): a tag becomes a space, which also keeps the last word
# of one paragraph apart from the first of the next.
TAG = re.compile(r"<[^>]*>")


def stream_word_count(stream) -> int:
    words = 0
    for block in stream:
        if block.block_type == "paragraph":
            text = TAG.sub(" ", block.value.source)
        elif block.block_type in TEXT_BLOCKS:
            text = block.value.get(TEXT_BLOCKS[block.block_type], "")
        elif block.block_type == "image":
            text = block.value.get("caption", "")
        else:
            text = ""
        words += len(text.split())
    return words


def reading_minutes(stream) -> int:
    """Whole minutes, at least one for any non-empty body."""
    words = stream_word_count(stream)
    return max(1, math.ceil(words / WORDS_PER_MINUTE)) if words else 0
