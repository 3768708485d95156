"""Query counts and in-process render times of the public pages, on 1,000 articles.

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
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# Measure rendering: with the page cache on, every repeat would be a hit.
os.environ["PAGE_CACHE"] = "false"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
)


def build_site(article_count: int) -> dict[str, str]:
    from articles.factories import ArticleIndexPageFactory, ArticlePageFactory
    from cms.factories import ImageFactory, UserFactory
    from home.models import HomePage

    index = ArticleIndexPageFactory(parent=HomePage.objects.get())
    authors = [UserFactory(username=f"author{n}") for n in range(10)]
    images = [ImageFactory() for _ in range(25)]
    tags = [f"topic-{n}" for n in range(40)]
    started = time.monotonic()
    articles = []
    for n in range(article_count):
        articles.append(
            ArticlePageFactory(
                parent=index,
                author=authors[n % len(authors)],
                featured_image=images[n % len(images)],
                featured=n % 50 == 0,
                tags=[tags[n % 40], tags[(n * 7 + 3) % 40]],
            )
        )
        if (n + 1) % 250 == 0:
            print(f"  built {n + 1} articles in {time.monotonic() - started:.0f}s")
    middle = articles[len(articles) // 2]
    return {
        "home": "/",
        "index": "/articles/",
        "index, last page": f"/articles/?page={-(-article_count // 10)}",
        "tag archive": f"/articles/tag/{tags[0]}/",
        "author archive": f"/articles/author/{authors[0].username}/",
        "article": middle.url,
    }


def measure(client: Client, url: str, repeats: int) -> tuple[int, float]:
    assert client.get(url).status_code == 200  # warm-up: renditions, caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    # Read now: the next request clears the connection's query log.
    query_count = len(captured.captured_queries)
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return query_count, statistics.median(timings)


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
        client = Client()
        print(f"\n{vendor}: {args.articles} articles, median of {args.requests}")
        print(f"{'page':<16} {'queries':>8} {'median ms':>10}")
        for name, url in urls.items():
            queries, median_ms = measure(client, url, args.requests)
            print(f"{name:<16} {queries:>8} {median_ms:>10.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
