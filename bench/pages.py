"""Query counts and in-process render times of the public pages, on 1,000 articles
with comments, ratings and views (articles/sample_site.py, the data the query-budget
tests use). Every request must answer 200, or it exits non-zero.

Then the article against a minimal stock Wagtail page (bench/minimal: a title and a
rich-text body), rendered in turns in the same process: it exits non-zero when the
article's median is more than ARTICLE_RATIO_TARGET times the minimal page's.

Run through `make bench` (bench/run.py), which runs this once on the embedded default
and again on PostgreSQL when DATABASE_URL is set. Builds a throwaway test database,
so it never touches the development data.

    python bench/pages.py [--articles 1000] [--requests 50]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# Test settings plus the minimal page type (bench/minimal); set, not defaulted: the
# comparison needs that app installed.
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.inprocess_settings"
os.environ.setdefault("LOG_LEVEL", "WARNING")
# Measure rendering: with the page cache on, every repeat would be a hit.
os.environ["PAGE_CACHE"] = "false"

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
)

from articles.sample_site import QUERY_BUDGETS  # noqa: E402


def build_site(article_count: int) -> dict[str, str]:
    from articles.factories import ArticleIndexPageFactory
    from articles.sample_site import build_sample_site, timed_progress
    from home.models import HomePage

    index = ArticleIndexPageFactory(parent=HomePage.objects.get())
    return build_sample_site(
        index, article_count, authors=10, images=25, tags=40, progress=timed_progress()
    )


def build_minimal_page() -> str:
    """The yardstick: a minimal stock Wagtail page under the home page, its body
    the same text as an article's (articles.factories.sample_body); its URL."""
    from bench.minimal.models import MinimalPage
    from home.models import HomePage

    body = "<h2>What happened</h2>" + "".join(
        f"<p>Paragraph {n} " + "word " * 120 + "</p>" for n in range(3)
    )
    page = MinimalPage(title="A minimal page", slug="bench-minimal", body=body)
    HomePage.objects.get().add_child(instance=page)
    return page.url


# A page rendered in-process, page cache off, must take at most this (median). With
# 1,000 articles, each with comments, ratings and views, pages measured 34-52 ms on
# SQLite and 56-77 ms on PostgreSQL on this 2-core machine: this leaves room for a
# noisy machine while catching a page whose time grows with the archive.
RENDER_TARGET_MS = 120
# An article (byline, tags, related and most-read lists, comments, rating, SEO
# tags) may cost at most this many times a minimal stock Wagtail page (issue 20).
ARTICLE_RATIO_TARGET = 1.5
# Renders of each page in the comparison, taken in turns (article, minimal, ...)
# so both see the same machine load.
MIN_PAIRS = 30


class UnexpectedStatus(Exception):
    pass


def get(client: Client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise UnexpectedStatus(f"{url} answered {response.status_code}, not 200")
    return response


def count_queries(client: Client, url: str) -> int:
    get(client, url)  # warm-up: renditions, caches
    with CaptureQueriesContext(connection) as captured:
        get(client, url)
    # Read now: the next request clears the connection's query log.
    return len(captured.captured_queries)


def timed(client: Client, url: str) -> float:
    started = time.perf_counter()
    get(client, url)
    return (time.perf_counter() - started) * 1000


def measure(client: Client, url: str, repeats: int) -> tuple[int, float]:
    query_count = count_queries(client, url)
    timings = [timed(client, url) for _ in range(repeats)]
    return query_count, statistics.median(timings)


def compare(client: Client, urls: dict[str, str], pairs: int) -> dict:
    """Query count, median ms and the list of timings of each of `urls`,
    rendered in turns."""
    queries = {name: count_queries(client, url) for name, url in urls.items()}
    timings = {name: [] for name in urls}
    for _ in range(pairs):
        for name, url in urls.items():
            timings[name].append(timed(client, url))
    return {
        name: (queries[name], statistics.median(timings[name]), timings[name])
        for name in urls
    }


def paired_ratio(numerators: list[float], denominators: list[float]) -> float:
    """The median of the ratios of renders taken one after the other. This
    machine's speed drifts by a third within seconds (other work on the host);
    a pair sees the same moment, so its ratio cancels the drift that a ratio of
    two medians, taken over the whole run, keeps."""
    return statistics.median(
        a / b for a, b in zip(numerators, denominators, strict=True)
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()

    setup_test_environment()
    vendor = connection.vendor
    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, keepdb=False
    )
    try:
        print(f"Building {args.articles} articles on {vendor}...")
        urls = build_site(args.articles)
        minimal_url = build_minimal_page()
        client = Client()
        print(f"\n{vendor}: {args.articles} articles, median of {args.requests}")
        print(f"{'page':<18} {'queries':>7} {'budget':>6} {'median ms':>10}")
        missed = []
        for name, url in urls.items():
            queries, median_ms = measure(client, url, args.requests)
            budget = QUERY_BUDGETS[name]
            print(f"{name:<18} {queries:>7} {budget:>6} {median_ms:>10.1f}")
            if queries > budget:
                missed.append(f"{name}: {queries} queries, budget {budget}")
            if median_ms > RENDER_TARGET_MS:
                missed.append(f"{name}: {median_ms:.1f} ms > {RENDER_TARGET_MS} ms")
        pairs = max(args.requests, MIN_PAIRS)
        print(
            f"\n{vendor}: article vs minimal stock Wagtail page, in turns, {pairs} each"
        )
        results = compare(
            client, {"article": urls["article"], "minimal page": minimal_url}, pairs
        )
        for name, (queries, median_ms, _) in results.items():
            print(f"{name:<18} {queries:>7} {'':>6} {median_ms:>10.1f}")
        article, minimal = results["article"], results["minimal page"]
        ratio = paired_ratio(article[2], minimal[2])
        medians_ratio = article[1] / minimal[1]
        print(f"article / minimal page, ratio of the medians: {medians_ratio:.2f}x")
        print(
            f"article / minimal page, median of the {pairs} paired ratios: {ratio:.2f}x"
            f" (target <= {ARTICLE_RATIO_TARGET}x)"
        )
        if ratio > ARTICLE_RATIO_TARGET:
            missed.append(
                f"article renders in {ratio:.2f}x the minimal page's time, "
                f"> {ARTICLE_RATIO_TARGET}x"
            )
    except UnexpectedStatus as error:
        sys.exit(f"FAILED: {error}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    if missed:
        sys.exit("FAILED targets: " + "; ".join(missed))
    print(
        f"all pages within their query budgets and {RENDER_TARGET_MS} ms; the article"
        f" within {ARTICLE_RATIO_TARGET}x the minimal page"
    )


if __name__ == "__main__":
    main()
