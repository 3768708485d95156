"""Hypothesis strategies for hostile input, shared by the public-URL fuzz test
(test_fuzz_public_urls.py) and its summary line (conftest.py).

Values are what a hostile visitor sends: control characters and NUL, any unicode
but lone surrogates (a WSGI server cannot carry them), very long strings, the
metacharacters of SQL, LIKE, FTS5 and tsquery, integers past bigint, negative
numbers, floats, empty values and percent-encoding that decodes to nothing valid.
"""

from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

import pytest
from hypothesis import strategies as st

# What the summary line reads: requests sent per fuzz test, and the backend.
FUZZ_STATS = pytest.StashKey[dict]()

# Characters each query language treats specially: SQL, LIKE, FTS5, tsquery.
METACHARACTERS = "%_\"'-*:&|!()<>~^\\;,.=+?#/[]{}@$` \t\n\r\x00\x0b\x1b\x7f"

METACHARACTER_SOUP = [
    "--",
    "'",
    '"',
    '"a',
    "a:*",
    "!!",
    "(",
    ")",
    "&",
    "|",
    "a&b|!c",
    "%",
    "_",
    "%_%",
    "' OR 1=1 --",
    "'; DROP TABLE wagtailcore_page; --",
    "a NEAR b",
    "title:x",
    "*",
    "^",
    "a -b",
    "-",
    "- -",
    "\\",
    "NOT",
    "AND OR NOT",
    "<->",
    "a<2>b",
]

# Percent-escapes that decode to invalid UTF-8, to a NUL, or to nothing at all.
PERCENT_JUNK = [
    "%",
    "%%",
    "%zz",
    "%C3",
    "%FF%FE",
    "%00",
    "%0a",
    "%2e%2e",
    "%25",
    "%u0041",
]

BIG_NUMBERS = [
    2**31,
    2**31 - 1,
    2**63 - 1,
    2**63,
    2**64,
    10**20,
    -(2**63) - 1,
    10**300,
]

any_character = st.characters(exclude_categories=("Cs",))  # lone surrogates
control_character = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.just("\x7f")

junk_text = st.one_of(
    st.text(any_character, max_size=40),
    st.text(st.sampled_from(METACHARACTERS), min_size=1, max_size=12),
    st.text(control_character | st.sampled_from("ab "), min_size=1, max_size=12),
    st.sampled_from(METACHARACTER_SOUP),
    st.builds(
        lambda c, n: c * n,
        st.sampled_from(["x", "ü", "😀", "-", "%"]),
        st.integers(200, 6000),
    ),
    st.builds(
        lambda words: " ".join(words),
        st.lists(st.sampled_from(["w", "a", "-", "OR"]), min_size=20, max_size=300),
    ),
)

junk_number = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.sampled_from(BIG_NUMBERS).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(
        ["1e9", "1.5", "-0", "0x10", "+1", " 1", "1 ", "١٢", "1_000", "9" * 30]
    ),
)

junk_value = st.one_of(st.just(""), junk_text, junk_number)

junk_date = st.one_of(
    st.datetimes().map(lambda d: d.isoformat()),
    st.dates().map(str),
    st.sampled_from(
        [
            "2024-01-01T00:00:00+99:00",
            "0000-00-00",
            "9999-12-31T23:59:59.999999",
            "2024-13-01",
            "2024-02-30",
            "-2024-01-01",
            "now",
            "1700000000",
        ]
    ),
)


def path_segment(*plausible: st.SearchStrategy) -> st.SearchStrategy:
    """One path segment: a plausible value, percent-encoded junk, raw escapes."""
    return st.one_of(
        *plausible,
        junk_text.map(lambda text: quote(text, safe="")),
        # Longer than a file or database name may be.
        st.sampled_from([256, 1000, 5000]).map(lambda n: "a" * n),
        junk_number,
        st.lists(st.sampled_from(PERCENT_JUNK), min_size=1, max_size=4).map("".join),
    )


@dataclass
class FuzzRequest:
    method: str
    path: str
    query: list[tuple[str, str]] = field(default_factory=list)
    raw_query: str = ""  # appended as is: escapes urlencode() would have made valid

    @property
    def encoded_query(self) -> str:
        """The query string of a GET, the form body of a POST."""
        return "&".join(filter(None, [urlencode(self.query), self.raw_query]))

    @property
    def url(self) -> str:
        query = self.encoded_query
        return f"{self.path}?{query}" if query else self.path

    def __repr__(self) -> str:  # what a failure report shows: what to replay
        if self.method == "POST":
            return f"POST {self.path[:500]!r} body {self.encoded_query[:1500]!r}"
        return f"{self.method} {self.url[:2000]!r}"


def query_pairs(
    values: dict[str, st.SearchStrategy], max_size: int = 6
) -> st.SearchStrategy:
    """Query parameters: known names with their own plausible values or junk, junk
    names, and repeats (?page=1&page=abc)."""
    names = list(values)
    known = st.sampled_from(names).flatmap(
        lambda name: st.tuples(st.just(name), values[name] | junk_value)
    )
    unknown = st.tuples(junk_text, junk_value)
    return st.lists(st.one_of(known, known, unknown), max_size=max_size)


raw_query_junk = st.one_of(
    st.just(""),
    st.lists(
        st.sampled_from(PERCENT_JUNK + ["&", "=", "==", "a=%", "&&"]), max_size=5
    ).map("".join),
)


def get(path: st.SearchStrategy, values: dict[str, st.SearchStrategy] | None = None):
    """A GET or HEAD of `path` with hostile query parameters."""
    return st.builds(
        FuzzRequest,
        method=st.sampled_from(["GET", "GET", "GET", "HEAD"]),
        path=path,
        query=query_pairs(values or {"page": junk_number}),
        raw_query=raw_query_junk,
    )
