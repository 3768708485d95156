"""Large archives on PostgreSQL: does each page's time stay flat as articles grow?

`make bench-scale` (no --articles): builds a throwaway database per size (default
1,000 and 100,000 articles, bench/bulk_site.py), ANALYZEs it, renders every public
and admin page in-process with the page cache off (the admin as an Editor and as an
Author) and prints, per page, the median ms at each size and the ratio. It exits
non-zero when a ratio passes RATIO_TARGET or a page answers anything but 200.

`--articles N --json FILE` is one size: what the table runs in a subprocess per size.

`--check --articles 20000` is the scale test in .ci/run: query counts within the
budgets of articles/sample_site.py (they must not grow with the archive) and no
sequential scan over articles in the plans of the deepest listing pages.

    DATABASE_URL=postgres://... python bench/scale.py [--sizes 1000,100000]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ["PAGE_CACHE"] = "false"  # measure rendering: with it on, every repeat hits

RATIO_TARGET = 1.5
# A ratio is only judged on pages slower than this at the small size: below it a
# millisecond of noise is a third of the figure.
NOISE_FLOOR_MS = 3.0


def setup_django():
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()


def build(count: int, search_index: bool = True) -> dict:
    """The archive, the people the admin is measured as, and the URLs by name."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from articles.factories import ArticleIndexPageFactory
    from bench.bulk_site import build_archive
    from home.models import HomePage

    index = ArticleIndexPageFactory(parent=HomePage.objects.get())
    built = build_archive(
        index,
        count,
        search_index=search_index,
        progress=lambda line: print(line, flush=True),
    )
    users = get_user_model().objects
    editor = users.create_user(username="editor", password=None, first_name="Eda")
    editor.groups.add(Group.objects.get(name="Editors"))
    author = built["authors"][0]
    author.groups.add(Group.objects.get(name="Authors"))
    ids = built["ids"]
    last = -(-count // 10)
    tag_last = -(-count // 10)  # every article carries `all`
    author_last = -(-count // (10 * len(built["authors"])))
    index_url = index.url
    article_id = ids[count // 2]
    article_url = f"{index_url}article-{count // 2}/"
    public = {
        "home": "/",
        "index": index_url,
        "index, last page": f"{index_url}?page={last}",
        "tag archive": f"{index_url}tag/all/",
        "tag archive, last page": f"{index_url}tag/all/?page={tag_last}",
        "author archive": f"{index_url}author/{author.username}/",
        "author archive, last page": (
            f"{index_url}author/{author.username}/?page={author_last}"
        ),
        "article": article_url,
        "search": "/search/?q=story",
        "rss feed": "/feeds/rss/",
        "sitemap": "/sitemap.xml",
        "api, first page": "/api/v2/articles/",
        "api, deep page": (f"/api/v2/articles/?offset={count - 20}&limit=20"),
    }
    admin = {
        "explorer": f"/admin/pages/{index.pk}/",
        "explorer, last page": f"/admin/pages/{index.pk}/?p={-(-count // 50)}",
        "page chooser": f"/admin/choose-page/{index.pk}/",
        "admin search": "/admin/pages/search/?q=story",
        "moderation": "/admin/snippets/engagement/comment/?status=pending",
    }
    return {
        "public": public,
        "admin": admin,
        "editor": editor,
        "author": author,
        "article_id": article_id,
        "article_url": article_url,
    }


class UnexpectedStatus(Exception):
    pass


def timed(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise UnexpectedStatus(f"{url} answered {response.status_code}, not 200")
    return elapsed


def median_ms(client, url: str, repeats: int, before=None) -> float:
    timed(client, url)  # warm-up: renditions, low-level caches
    timings = []
    for _ in range(repeats):
        if before is not None:
            before()
        timings.append(timed(client, url))
    return statistics.median(timings)


def forget_derived_values() -> None:
    """Empty the low-level cache and this process's copies of it: what the first
    render after a change finds."""
    from django.core.cache import cache

    from cms.page_cache import derived

    cache.clear()
    derived.process_copies.values.clear()


def measure(count: int, repeats: int) -> dict:
    from django.test import Client

    site = build(count)
    rows = {}
    reader = Client()
    for name, url in site["public"].items():
        rows[name] = median_ms(reader, url, repeats)
    rows["article, lists cold"] = median_ms(
        reader, site["article_url"], repeats, before=forget_derived_values
    )
    for role in ("editor", "author"):
        client = Client()
        client.force_login(site[role])
        for name, url in site["admin"].items():
            rows[f"{name} ({role})"] = median_ms(client, url, repeats)
    return rows


def measure_in_subprocess(count: int, repeats: int) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--articles",
                str(count),
                "--requests",
                str(repeats),
                "--json",
                out.name,
            ],
            check=True,
        )
        return json.loads(Path(out.name).read_text())


def in_test_database(work):
    from django.db import connection

    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, keepdb=False
    )
    try:
        return work()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def table(sizes: list[int], repeats: int) -> None:
    results = {size: measure_in_subprocess(size, repeats) for size in sizes}
    small, large = sizes[0], sizes[-1]
    print(f"\nmedian ms of {repeats} in-process renders, page cache off, PostgreSQL")
    header = f"{'page':<30} {small:>10,} {large:>10,} {'ratio':>7}"
    print(header)
    print("-" * len(header))
    missed = []
    for name, small_ms in results[small].items():
        large_ms = results[large][name]
        ratio = large_ms / small_ms
        judged = small_ms >= NOISE_FLOOR_MS
        mark = "" if not judged or ratio <= RATIO_TARGET else "  MISSED"
        print(f"{name:<30} {small_ms:>10.1f} {large_ms:>10.1f} {ratio:>6.2f}x{mark}")
        if mark:
            missed.append(f"{name} {ratio:.2f}x")
    if missed:
        sys.exit(f"FAILED: over {RATIO_TARGET}x: " + ", ".join(missed))
    print(f"every page within {RATIO_TARGET}x of its time at {small:,} articles")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--articles", type=int)
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--json")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if args.articles is None:
        if not os.environ.get("DATABASE_URL"):
            sys.exit("bench/scale.py measures PostgreSQL: set DATABASE_URL")
        table([int(size) for size in args.sizes.split(",")], args.requests)
        return
    setup_django()
    if args.check:
        from bench.scale_check import check

        failures = in_test_database(lambda: check(args.articles, build))
        if failures:
            sys.exit("FAILED: " + "; ".join(failures))
        return
    try:
        rows = in_test_database(lambda: measure(args.articles, args.requests))
    except UnexpectedStatus as error:
        sys.exit(f"FAILED: {error}")
    Path(args.json).write_text(json.dumps(rows))


if __name__ == "__main__":
    main()
