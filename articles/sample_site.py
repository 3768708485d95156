"""A sample site of any size, shared by the query-budget tests and bench/pages.py:
articles with authors, images, tags, and reader engagement like the demo's
(approved and pending comments, ratings, a week of views) on every article.

Needs the development dependencies (factory-boy, wagtail-factories).
"""

import time
from collections.abc import Callable

from cms.factories import ImageFactory, UserFactory
from engagement.demo import add_demo_engagement

from .factories import ArticlePageFactory
from .models import ArticleIndexPage

PAGE_SIZE = 10

# What each page of the sample site may cost, in queries per request; asserted by
# articles/tests/test_query_budgets.py and checked by bench/pages.py. Every page
# pays 4-5 for Wagtail itself: the Site, the root page, the typed child lookup per
# level, and the view-restriction checks (alias ancestors + restrictions). Then:
# - index (any page of it): page count, articles (+author, image), tags,
#   renditions, restrictions for public() -> 10
# - tag/author archives: the same plus the tag or user lookup -> 11
# - home: the featured and latest ids come from the low-level cache; one query
#   loads both lists' articles, + tags, renditions and the article index link -> 8
# - article: one query loading its related articles and its older and newer
#   neighbours (which ones: ids in the low-level cache, so no view restrictions
#   query; their renditions from the renditions cache), its approved comments -> 8
#   (its tags come with it in the typed child lookup: articles/tag_rows.py). The
#   most-read list is a cached fragment shared by every article: no query.
# Comment counts and ratings are annotated on the articles' own query.
QUERY_BUDGETS = {
    "home": 8,
    "index": 10,
    "index, last page": 10,
    "tag archive": 11,
    "author archive": 11,
    "article": 8,
}


def build_sample_site(
    index: ArticleIndexPage,
    count: int,
    *,
    authors: int = 4,
    images: int = 5,
    tags: int = 6,
    progress: Callable[[int], None] | None = None,
) -> dict[str, str]:
    """Create `count` articles under `index`; returns the public URLs by name."""
    people = [UserFactory(username=f"author{n}") for n in range(authors)]
    pictures = [ImageFactory() for _ in range(images)]
    tag_pool = [f"topic-{n}" for n in range(tags)]
    articles = []
    for n in range(count):
        article = ArticlePageFactory(
            parent=index,
            author=people[n % authors],
            featured_image=pictures[n % images],
            featured=n % 7 == 0,
            tags=[tag_pool[n % tags], tag_pool[(n * 5 + 1) % tags], "all"],
        )
        # Seeds 3 mod 4: two approved comments and one waiting, on every article.
        add_demo_engagement(article, seed=4 * n + 3)
        articles.append(article)
        if progress is not None and (n + 1) % 250 == 0:
            progress(n + 1)
    last_page = -(-count // PAGE_SIZE)
    return {
        "home": "/",
        "index": index.url,
        "index, last page": f"{index.url}?page={last_page}",
        "tag archive": index.tag_archive_url("all"),
        "author archive": index.author_archive_url(people[0].username),
        "article": articles[count // 2].url,
    }


def timed_progress(started: float | None = None) -> Callable[[int], None]:
    """A progress callback printing how many articles were built and how fast."""
    started = time.monotonic() if started is None else started

    def report(built: int) -> None:
        print(f"  built {built} articles in {time.monotonic() - started:.0f}s")

    return report
