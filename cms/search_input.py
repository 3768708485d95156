"""Search text from the outside world, made safe for any search backend.

Wagtail's PostgreSQL backend raises on NUL bytes (DataError) and on queries of about
160+ words (RecursionError); both used to be 500s. Used by the search page and the
read API's ?search=.
"""

import re

MAX_LENGTH = 200
MAX_TERMS = 20
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def clean_query(raw: str) -> tuple[str, bool]:
    """The query to run (control characters dropped, at most MAX_TERMS words and
    MAX_LENGTH characters), and whether it had to be shortened."""
    terms = CONTROL_CHARACTERS.sub(" ", raw).split()
    query = " ".join(terms[:MAX_TERMS])[:MAX_LENGTH].strip()
    return query, query != " ".join(terms)
