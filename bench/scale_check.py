"""The scale test .ci/run runs on PostgreSQL (bench/scale.py --check): on a big
archive, each public and admin page stays within its query budget, and the
queries behind the deepest listing pages read articles through an index, never a
sequential scan over them."""

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.sample_site import QUERY_BUDGETS

# Per deep listing page, as its first page (articles/sample_site.py).
DEEP_BUDGETS = {
    "index, last page": QUERY_BUDGETS["index, last page"],
    "tag archive, last page": QUERY_BUDGETS["tag archive"],
    "author archive, last page": QUERY_BUDGETS["author archive"],
    # articles/tests/test_api.py's budget for a listing page.
    "api, deep page": 8,
}
# The admin, per role: Wagtail's own queries (session, user, permissions, the
# listing and its pagination), counted here on 20,000 articles; they must not
# grow with the archive (the same budget holds at 1,000).
ADMIN_BUDGETS = {
    "explorer": 40,
    "explorer, last page": 40,
    # 25 rows, each asking for its parent in Wagtail's own chooser template
    # (page_title_cell.html: page.get_parent.id): constant in the archive size.
    "page chooser": 50,
    "admin search": 40,
    "admin search, one match": 40,
    "moderation": 30,
    # Each panel in a fixed number of queries (newsroom/, planning/panels.py).
    "dashboard": 40,
    # Four lanes, their filters' choices and the feed address (planning/).
    "calendar, month": 25,
    "calendar, week": 25,
}
ARTICLE_TABLES = ("articles_articlepage", "wagtailcore_page")
SEQUENTIAL = re.compile(r"Seq Scan on (\w+)")


def queries_of(client: Client, url: str) -> list[str]:
    client.get(url)  # warm: renditions, page starts, derived lists
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    if response.status_code != 200:
        raise AssertionError(f"{url} answered {response.status_code}")
    return [query["sql"] for query in captured.captured_queries]


def plan_of(sql: str, analyze: bool = False) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {'(ANALYZE, BUFFERS) ' if analyze else ''}{sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def sequential_scans(plan: str) -> set[str]:
    return {table for table in SEQUENTIAL.findall(plan) if table in ARTICLE_TABLES}


def check(count: int, build, explain: bool = False) -> list[str]:
    site = build(count, search_index=False)
    failures = []
    reader = Client()
    budgets = {**QUERY_BUDGETS, **DEEP_BUDGETS}
    print(f"{'page':<34} {'queries':>7} {'budget':>6}  sequential scans")
    for name, budget in budgets.items():
        sql = queries_of(reader, site["public"][name])
        scanned = set()
        if name in DEEP_BUDGETS:
            listing = [q for q in sql if "articles_articlepage" in q and "LIMIT" in q]
            if not listing:
                failures.append(f"{name}: no listing query found")
            for query in listing:
                scanned |= sequential_scans(plan_of(query))
                if explain:
                    print(f"--- {name}:\n{query}\n{plan_of(query, analyze=True)}")
        print(f"{name:<34} {len(sql):>7} {budget:>6}  {', '.join(scanned) or '-'}")
        if len(sql) > budget:
            failures.append(f"{name}: {len(sql)} queries, budget {budget}")
        if scanned:
            failures.append(f"{name}: sequential scan on {', '.join(sorted(scanned))}")
    for role in ("editor", "author"):
        client = Client()
        client.force_login(site[role])
        for name, budget in ADMIN_BUDGETS.items():
            sql = queries_of(client, site["admin"][name])
            label = f"{name} ({role})"
            print(f"{label:<34} {len(sql):>7} {budget:>6}")
            if len(sql) > budget:
                failures.append(f"{label}: {len(sql)} queries, budget {budget}")
    return failures
