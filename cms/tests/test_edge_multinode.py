"""The multi-node shape, end to end, with real processes: two gunicorn nodes (each
with its task worker) behind one Varnish (deploy/varnish/presswagon.vcl), sharing
PostgreSQL and a Redis of the test's own (so it can be stopped mid-test).

What readers see through the edge follows what editors decide: a publish made
anywhere purges the article, the index, the tag and author archives, home and the
feeds at the edge and on both nodes, and leaves an unrelated article cached; a
publish made while Redis is down is carried out when it returns; a scheduled
publish happens once with a scheduler on each node.

Runs in the PostgreSQL + Redis segment of .ci/run; without varnishd it is skipped,
except under CI=true, where that is a failure.
"""

import json
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.error import HTTPError

import pytest

from bench.harness import gunicorn
from bench.services import PrivateRedis, PrivateVarnish
from cms.tests.live_site import ROOT, drain_task_queue, prepared_site, run_python
from cms.tests.private_servers import free_port, require_varnishd, wait_for

require_varnishd()

pytestmark = [
    pytest.mark.requires_redis,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="two nodes share one database: PostgreSQL (DATABASE_URL), as in CI",
    ),
]

# The edge sees a publish within the worker's poll (0.1 s) and one purge round
# trip; the bound leaves room for a busy 2-core machine.
WITHIN_SECONDS = 10.0

SEED = """
import datetime, json, django; django.setup()
from django.utils import timezone
from articles.factories import ArticleIndexPageFactory, ArticlePageFactory
from cms.factories import UserFactory
from home.models import HomePage
index = ArticleIndexPageFactory(parent=HomePage.objects.get(), slug="articles")
ada = UserFactory(username="ada", first_name="Ada", last_name="Lovelace")
now = timezone.now()
def article(title, slug, days, tags, author=None):
    return ArticlePageFactory(
        parent=index, title=title, slug=slug, tags=tags,
        published_at=now - datetime.timedelta(days=days),
        **({"author": author, "owner": author} if author else {}),
    )
unrelated = article("Quiet harbour", "quiet-harbour", 30, ["cooking"])
for n in range(4):  # between the two: neither is the other's neighbour
    article(f"Filler {n}", f"filler-{n}", 20 - n, [f"filler{n}"])
target = article("Rivers under the city", "rivers", 1, ["rivers"], ada)
other = article("Tram lines", "trams", 2, ["transport"])
print(json.dumps({"target": target.pk, "other": other.pk}))
"""

PUBLISH = """
import sys, django; django.setup()
from articles.models import ArticlePage
page = ArticlePage.objects.get(pk={pk}).get_latest_revision_as_object()
page.title = {title!r}
page.save_revision().publish()
"""


@dataclass
class EdgeSite:
    edge: str
    nodes: list[str]
    env: dict
    redis: PrivateRedis
    ids: dict


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read().decode()
    except HTTPError as error:
        return error.code, dict(error.headers), ""


def edge_state(site: EdgeSite, path: str) -> str:
    return fetch(site.edge + path)[1].get("X-Edge-Cache", "")


def publish(site: EdgeSite, pk: int, title: str) -> None:
    run_python(site.env, PUBLISH.format(pk=pk, title=title))


def everywhere_shows(site: EdgeSite, path: str, text: str) -> bool:
    """The edge and each node (their page caches) show `text` at `path`."""
    return all(text in fetch(base + path)[2] for base in [site.edge, *site.nodes])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("edge")
    edge_port, node_ports = free_port(), [free_port(), free_port()]
    edge = f"http://127.0.0.1:{edge_port}"
    with PrivateRedis(free_port()) as redis:
        env, seeded = prepared_site(
            tmp_path,
            "presswagon_edge",
            SEED,
            extra_env={
                "REDIS_URL": redis.url(0),
                "VARNISH_URLS": edge,
                "SITE_URL": edge,
                "TRUSTED_PROXIES": "127.0.0.1",
                "EDGE_REPURGE_DELAY": "2",
            },
        )
        with (
            gunicorn(env, node_ports[0], workers=2, log=tmp_path / "node-a.log"),
            gunicorn(env, node_ports[1], workers=2, log=tmp_path / "node-b.log"),
            PrivateVarnish([("127.0.0.1", port) for port in node_ports], edge_port),
        ):
            # Varnish sends readers to a node once its health probe has passed.
            assert wait_for(lambda: fetch(edge + "/healthz")[0] == 200, 30)
            # The seed's own purges (and their repeats) are done before readers
            # come: a late one would purge what a test expects to stay cached.
            drain_task_queue(env)
            yield EdgeSite(
                edge=edge,
                nodes=[f"http://127.0.0.1:{port}" for port in node_ports],
                env=env,
                redis=redis,
                ids=json.loads(seeded),
            )


def test_the_second_anonymous_read_is_an_edge_hit(site):
    path = "/articles/quiet-harbour/"
    assert edge_state(site, path) in {"MISS", "HIT"}
    status, headers, body = fetch(site.edge + path)
    assert status == 200
    assert headers["X-Edge-Cache"] == "HIT"
    assert "Quiet harbour" in body
    assert "xkey" not in {name.lower() for name in headers}  # the edge strips it
    # Readers with a session (editors) always reach a node.
    _, signed_in, _ = fetch(site.edge + path, {"Cookie": "sessionid=abc"})
    assert signed_in["X-Edge-Cache"] == "PASS"


def test_a_publish_updates_every_listing_at_the_edge_and_nothing_else(site):
    surfaces = [
        "/articles/rivers/",
        "/articles/",
        "/articles/tag/rivers/",
        "/articles/author/ada/",
        "/",
        "/feeds/rss/",
        "/feeds/tag/rivers/rss/",
    ]
    unrelated = "/articles/quiet-harbour/"
    for path in [*surfaces, unrelated]:
        fetch(site.edge + path)
        assert edge_state(site, path) == "HIT", path
        assert "Rivers under the city" in fetch(site.edge + path)[2] or path in {
            unrelated
        }, path

    started = time.monotonic()
    publish(site, site.ids["target"], "Rivers rediscovered")
    for path in surfaces:
        assert wait_for(
            lambda path=path: everywhere_shows(site, path, "Rivers rediscovered"),
            WITHIN_SECONDS,
        ), f"{path} still stale at the edge or on a node"
        assert "Rivers under the city" not in fetch(site.edge + path)[2], path
    print(f"\nevery surface updated at the edge in {time.monotonic() - started:.2f} s")
    # An article the change does not touch stayed cached at the edge.
    assert edge_state(site, unrelated) == "HIT"


def test_a_publish_made_while_redis_is_down_is_carried_out_when_it_returns(site):
    path = "/articles/trams/"
    for base in [site.edge, *site.nodes]:  # cached in Redis and at the edge
        fetch(base + path)
        assert "Tram lines" in fetch(base + path)[2]

    site.redis.pause()  # hung: every Redis call times out
    try:
        publish(site, site.ids["other"], "Trams return")
        # The edge was purged; the nodes render afresh while their cache is down.
        assert wait_for(
            lambda: "Trams return" in fetch(site.edge + path)[2], WITHIN_SECONDS
        )
        time.sleep(1.5)  # the store purge has failed at least once by now
    finally:
        site.redis.resume()

    # Redis still holds the old copy; the queued retry (every 0.5 s while the
    # store fails) purges it, and the edge again, which may have refetched it.
    assert wait_for(lambda: retried_store_purges(site) > 0, 30), (
        "the store purge was never retried"
    )
    for _ in range(3):  # fresh everywhere, and it stays fresh, cached again
        assert everywhere_shows(site, path, "Trams return")
        time.sleep(0.2)


def retried_store_purges(site: EdgeSite) -> int:
    """Purges of the store carried out at a second or later attempt."""
    return int(
        run_python(
            site.env,
            "import django; django.setup()\n"
            "from django_tasks_db.models import DBTaskResult\n"
            "print(sum(1 for args in DBTaskResult.objects.filter("
            "task_path='cms.page_cache.tasks.purge_cache_tags', status='SUCCESSFUL'"
            ").values_list('args_kwargs', flat=True)"
            " if 'store' in args['args'][1] and args['kwargs'].get('attempt', 1) > 1))",
        )
    )


SCHEDULE = """
import datetime, django; django.setup()
from django.utils import timezone
from articles.factories import ArticlePageFactory
from articles.models import ArticleIndexPage
index = ArticleIndexPage.objects.get()
page = ArticlePageFactory(
    parent=index, title="Timed story", slug="timed", live=False, published_at=None
)
page.go_live_at = timezone.now() + datetime.timedelta(seconds=3)
page.save_revision().publish()
print(page.pk)
"""


def test_a_scheduled_publish_happens_once_with_two_schedulers(site, tmp_path):
    path = "/articles/timed/"
    assert fetch(site.edge + path)[0] == 404
    schedulers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "run_scheduler", "--interval", "0.3"],
            cwd=ROOT,
            env={**site.env, "LOG_LEVEL": "INFO"},
            stdout=open(tmp_path / f"scheduler-{n}.log", "w"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for n in range(2)
    ]
    try:
        pk = int(run_python(site.env, SCHEDULE))
        assert wait_for(
            lambda: "Timed story" in fetch(site.edge + path)[2], WITHIN_SECONDS + 5
        ), "the scheduled article never reached the edge"
        time.sleep(2)  # several more passes of both schedulers
    finally:
        for scheduler in schedulers:
            scheduler.terminate()
            scheduler.wait(timeout=30)
    publishes = run_python(
        site.env,
        "import django; django.setup()\n"
        "from wagtail.models import PageLogEntry\n"
        f"print(PageLogEntry.objects.filter(page_id={pk},"
        " action='wagtail.publish.scheduled').count())",
    )
    assert publishes == "1"
    logs = "".join(Path(tmp_path / f"scheduler-{n}.log").read_text() for n in (0, 1))
    assert "scheduled publishing pass failed" not in logs
