"""The page-cache tags articles render and touch (see cms/page_cache).

Rendered (recorded on each cached response):
- every page showing an article card or link carries `page:<article id>`;
- an index listing carries `articles:listing:<index id>`, a tag archive
  `articles:tag:<slug>`, an author archive `articles:author:<user id>`, the home page
  `articles:latest`;
- an article page carries `articles:article:<id>` (its prev/next links and its
  related list: articles/related.py purges it when the list changes);
- pages showing the most-read list carry engagement's `engagement:popular`.

Touched (purged) when an article changes: its own `page:` tag (its page and every
card of it, wherever it was shown), the listings it now belongs to, and its two
neighbours' pages; then, once related lists are ranked again, the pages of the
articles whose list it entered or left.
"""

LATEST = "articles:latest"
FEEDS = "articles:feeds"


def listing(index_id: int) -> str:
    return f"articles:listing:{index_id}"


def tag_archive(slug: str) -> str:
    return f"articles:tag:{slug}"


def author_archive(user_id: int) -> str:
    return f"articles:author:{user_id}"


def article_page(article_id: int) -> str:
    return f"articles:article:{article_id}"
