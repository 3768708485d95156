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
# The purge measurement (on the sizes that have that many articles): real renders
# cached, then single-article edits published.
FILL_PAGES = 10_000
PUBLISHES = 50
# A ratio is only judged on pages slower than this at the small size: below it a
# millisecond of noise is a third of the figure.
NOISE_FLOOR_MS = 3.0


def setup_django(articles: int):
    import django
    from django.conf import settings

    # One cache namespace per size: both sizes share REDIS_URL, and a value one
    # database derived (its most-read ids) must not be read by the other's run.
    for alias in settings.CACHES.values():
        alias["KEY_PREFIX"] = f"{alias.get('KEY_PREFIX', '')}scale{articles}"
    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()


def build(count: int, search_index: bool = True) -> dict:
    """The archive, the people the admin is measured as, and the URLs by name;
    the archive a kept database already holds (--keepdb) when it has `count`
    articles."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from articles.factories import ArticleIndexPageFactory
    from articles.models import ArticleIndexPage, ArticlePage
    from bench.bulk_site import analyze, build_archive, index_articles
    from home.models import HomePage

    users = get_user_model().objects
    index = ArticleIndexPage.objects.first()
    if index is not None and ArticlePage.objects.child_of(index).count() == count:
        print(f"  reusing the {count} articles of the kept database", flush=True)
        editor = users.get(username="editor")
        author = users.get(username="author0")
        ids = list(
            ArticlePage.objects.child_of(index)
            .order_by("-published_at")
            .values_list("pk", flat=True)
        )
        authors = users.filter(username__startswith="author").count()
        if search_index and not searchable(count):
            # Kept by --check, which builds without the search index.
            index_articles(ids, progress=lambda line: print(line, flush=True))
            analyze()
    else:
        index = ArticleIndexPageFactory(parent=HomePage.objects.get())
        built = build_archive(
            index,
            count,
            search_index=search_index,
            progress=lambda line: print(line, flush=True),
        )
        editor = users.create_user(username="editor", password=None, first_name="Eda")
        editor.groups.add(Group.objects.get(name="Editors"))
        author = built["authors"][0]
        author.groups.add(Group.objects.get(name="Authors"))
        ids = built["ids"]
        authors = len(built["authors"])
    last = -(-count // 10)
    tag_last = -(-count // 10)  # every article carries `all`
    author_last = -(-count // (10 * authors))
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
        "search": "/search/?q=story",  # a word of every article
        "search, one match": f"/search/?q={count // 2}",  # one title's number
        "rss feed": "/feeds/rss/",
        "sitemap": "/sitemap.xml",
        "api, first page": "/api/v2/articles/",
        "api, deep page": (f"/api/v2/articles/?offset={count - 20}&limit=20"),
    }
    admin = {
        "explorer": f"/admin/pages/{index.pk}/",
        "explorer, last page": f"/admin/pages/{index.pk}/?p={-(-count // 50)}",
        "page chooser": f"/admin/choose-page/{index.pk}/",
        "admin search": "/admin/pages/search/?q=number",  # in every title
        "admin search, one match": f"/admin/pages/search/?q={count // 2}",
        "moderation": "/admin/snippets/engagement/comment/?status=pending",
        # Articles an hour apart: a month holds ~720 published, a week ~170.
        "dashboard": "/admin/",
        "calendar, month": "/admin/calendar/",
        "calendar, week": "/admin/calendar/?view=week",
    }
    return {
        "index_url": index_url,
        "public": public,
        "admin": admin,
        "editor": editor,
        "author": author,
        "article_id": article_id,
        "other_article_id": ids[0],
        "article_url": article_url,
    }


def searchable(count: int) -> bool:
    """Whether the search index holds `count` articles."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.search.models import IndexEntry

    from articles.models import ArticlePage

    kind = ContentType.objects.get_for_model(ArticlePage)
    return IndexEntry.objects.filter(content_type=kind).count() >= count


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


def another_article_published(article_id: int):
    """What publishing another article purges, before each render: the first
    render of an article after any publish (its lists were ranked again then,
    before lists were stored and derived values named their dependencies)."""
    from articles.models import ArticlePage
    from cms.page_cache.purge import purge_tags, tags_for_change

    other = ArticlePage.objects.get(pk=article_id)
    return lambda: purge_tags(tags_for_change(other))


# An edit of one article's text may purge at most this many pages (issue 19).
PURGED_PER_EDIT_TARGET = 20


def fill_and_publish(site: dict, cached: int, publishes: int) -> dict:
    """Fill the page cache with `cached` real renders of article pages (plus the
    listings' first pages), then publish an edit of the body of `publishes`
    articles, one at a time: pages purged by each publish, publish-to-purged time
    (the publish runs its purges after commit; tasks run in the request here),
    and how many of the other cached pages are still cached."""
    import random

    from django.test import Client, override_settings
    from wagtail.blocks import StreamValue

    from articles.models import ArticlePage
    from cms.page_cache.store import get_store

    store = get_store()
    purged: list[int] = []
    original_purge = store.purge

    def counted_purge(tags):
        count = original_purge(tags)
        purged.append(count)
        return count

    store.purge = counted_purge
    urls = [f"{site['index_url']}article-{n}/" for n in range(cached)]
    reader = Client()
    with override_settings(WAGTAIL_CACHE=True):
        started = time.monotonic()
        for url in [*urls, *list(site["public"].values())[:6]]:
            reader.get(url)
        print(
            f"  filled the cache with {len(urls)} article renders in "
            f"{time.monotonic() - started:.0f}s",
            flush=True,
        )
        size_before = store.size() if hasattr(store, "size") else None
        chosen = random.Random(19).sample(range(cached), publishes)  # noqa: S311
        per_publish, timings = [], []
        for n in chosen:
            article = ArticlePage.objects.get(url_path__endswith=f"/article-{n}/")
            blocks = list(article.body.raw_data)
            blocks.append({"type": "paragraph", "value": f"<p>Update {n}.</p>"})
            article.body = StreamValue(article.body.stream_block, blocks, is_lazy=True)
            purged.clear()
            started = time.perf_counter()
            article.save_revision().publish(skip_permission_checks=True)
            timings.append((time.perf_counter() - started) * 1000)
            per_publish.append(sum(purged))
        hits = sum(
            1
            for url in random.Random(20).sample(urls, 200)  # noqa: S311
            if reader.get(url).get("X-Wagtail-Cache") == "hit"
        )
    store.purge = original_purge
    timings.sort()
    return {
        "cached": size_before,
        "publishes": publishes,
        "purged_max": max(per_publish),
        "purged_median": statistics.median(per_publish),
        "publish_to_purged_p50_ms": timings[len(timings) // 2],
        "publish_to_purged_p99_ms": timings[
            min(len(timings) - 1, int(len(timings) * 0.99))
        ],
        "still_cached_of_200": hits,
    }


def measure(count: int, repeats: int, fill: int = FILL_PAGES) -> dict:
    from django.test import Client

    site = build(count)
    rows = {}
    reader = Client()
    for name, url in site["public"].items():
        rows[name] = median_ms(reader, url, repeats)
    rows["article, after another publish"] = median_ms(
        reader,
        site["article_url"],
        repeats,
        before=another_article_published(site["other_article_id"]),
    )
    for role in ("editor", "author"):
        client = Client()
        client.force_login(site[role])
        for name, url in site["admin"].items():
            rows[f"{name} ({role})"] = median_ms(client, url, repeats)
    result = {"pages": rows}
    if fill and count >= fill:
        result["purges"] = fill_and_publish(site, fill, PUBLISHES)
    return result


def measure_in_subprocess(count: int, repeats: int, keepdb: bool) -> dict:
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
                *(["--keepdb"] if keepdb else []),
            ],
            check=True,
        )
        return json.loads(Path(out.name).read_text())


def in_test_database(work, name: str, keepdb: bool = False):
    """Run `work` in a throwaway database `name`; with `keepdb`, one kept from
    the last run with it (to measure again without building again)."""
    from django.db import connection

    connection.settings_dict["TEST"]["NAME"] = name
    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, keepdb=keepdb
    )
    try:
        return work()
    finally:
        if keepdb:
            connection.close()
            connection.settings_dict["NAME"] = old_name
        else:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def table(sizes: list[int], repeats: int, keepdb: bool) -> None:
    results = {size: measure_in_subprocess(size, repeats, keepdb) for size in sizes}
    small, large = sizes[0], sizes[-1]
    print(f"\nmedian ms of {repeats} in-process renders, page cache off, PostgreSQL")
    header = f"{'page':<32} {small:>10,} {large:>10,} {'ratio':>7}"
    print(header)
    print("-" * len(header))
    missed = []
    for name, small_ms in results[small]["pages"].items():
        large_ms = results[large]["pages"][name]
        ratio = large_ms / small_ms
        judged = small_ms >= NOISE_FLOOR_MS
        mark = "" if not judged or ratio <= RATIO_TARGET else "  MISSED"
        print(f"{name:<32} {small_ms:>10.1f} {large_ms:>10.1f} {ratio:>6.2f}x{mark}")
        if mark:
            missed.append(f"{name} {ratio:.2f}x")
    purges = results[large].get("purges")
    if purges:
        print(
            f"\npurges at {large:,} articles, {purges['cached']} pages cached by real "
            f"renders, {purges['publishes']} single-article body edits published:"
        )
        for key, value in purges.items():
            print(f"  {key:<28} {value}")
        if purges["purged_max"] >= PURGED_PER_EDIT_TARGET:
            missed.append(
                f"an edit purged {purges['purged_max']} pages "
                f"(target < {PURGED_PER_EDIT_TARGET})"
            )
    if missed:
        sys.exit("FAILED: " + ", ".join(missed))
    print(
        f"every page within {RATIO_TARGET}x of its time at {small:,} articles; "
        f"every edit purged fewer than {PURGED_PER_EDIT_TARGET} pages"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--articles", type=int)
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--json")
    parser.add_argument("--check", action="store_true")
    parser.add_argument(
        "--explain", action="store_true", help="with --check: print the plans"
    )
    parser.add_argument(
        "--fill", type=int, default=FILL_PAGES, help="pages cached before publishing"
    )
    parser.add_argument(
        "--keepdb",
        action="store_true",
        help="keep each size's database (test_scale_<size>) and reuse it next time",
    )
    args = parser.parse_args()
    if args.articles is None:
        if not os.environ.get("DATABASE_URL"):
            sys.exit("bench/scale.py measures PostgreSQL: set DATABASE_URL")
        sizes = [int(size) for size in args.sizes.split(",")]
        table(sizes, args.requests, args.keepdb)
        return
    setup_django(args.articles)
    if args.keepdb:
        # The kept database's images must outlive this process too (the test
        # settings' media folder is a new temporary one each run).
        from django.conf import settings

        settings.MEDIA_ROOT = str(
            Path(tempfile.gettempdir()) / f"presswagon-scale-media-{args.articles}"
        )
    if args.check:
        from bench.scale_check import check

        failures = in_test_database(
            lambda: check(args.articles, build, explain=args.explain),
            f"test_scale_{args.articles}" if args.keepdb else "test_scale_check",
            keepdb=args.keepdb,
        )
        if failures:
            sys.exit("FAILED: " + "; ".join(failures))
        return
    try:
        rows = in_test_database(
            lambda: measure(args.articles, args.requests, args.fill),
            f"test_scale_{args.articles}",
            keepdb=args.keepdb,
        )
    except UnexpectedStatus as error:
        sys.exit(f"FAILED: {error}")
    Path(args.json).write_text(json.dumps(rows))


if __name__ == "__main__":
    main()
