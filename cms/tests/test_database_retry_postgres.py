"""PostgreSQL restarts under requests running through real gunicorn.

What DatabaseRetryMiddleware promises: a request whose pooled connection dies
mid-request is re-run once on a fresh connection when it is a read (GET/HEAD) or a
write its view declares retry-safe (a comment carrying its submission key), and that
write is stored once; anything else gets the 503 error view with Retry-After.

The restart is made to land mid-request, not by timing: a session of our own holds
table locks, so each request blocks inside a query while holding its connection; once
PostgreSQL shows all of them waiting on the locks, the server is restarted (fast
shutdown terminates every session, as a real restart does).

The server is a private PostgreSQL (the shared one must never be restarted), loaded
with a copy of this suite's migrated test database, so it runs where the suite runs on
PostgreSQL (DATABASE_URL), as in CI, and needs PostgreSQL's binaries.
"""

import json
import os
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import psycopg
import pytest

from bench.harness import gunicorn
from cms.tests.live_site import production_environment, run_python
from cms.tests.private_servers import (
    free_port,
    postgres_binary,
    postgres_installed,
    private_postgres,
    wait_for,
)

PROJECT = Path(__file__).resolve().parents[2]
RETRY_LOGGED = "database connection lost mid-request; retrying once"

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="runs with the suite on PostgreSQL (DATABASE_URL), as in CI: the "
        "private server is loaded from the suite's migrated test database",
    ),
    pytest.mark.skipif(not postgres_installed(), reason="needs PostgreSQL's binaries"),
]

SEED = """
import json, django; django.setup()
from articles.factories import ArticleIndexPageFactory, ArticlePageFactory
from home.models import HomePage
home = HomePage.objects.get()
article = ArticlePageFactory(parent=ArticleIndexPageFactory(parent=home))
print(json.dumps({"article": article.pk, "home_title": home.title}))
"""


def copy_test_database(server_url: str) -> None:
    """Load the suite's migrated test database (schema, roles, home page, site)
    into the private server: much faster than running every migration again."""
    from django.db import connection

    source = connection.settings_dict
    dump = subprocess.run(
        [
            postgres_binary("pg_dump"),
            "--no-owner",
            "--no-privileges",
            "-h",
            source["HOST"] or "127.0.0.1",
            "-p",
            str(source["PORT"] or 5432),
            "-U",
            source["USER"] or "postgres",
            source["NAME"],
        ],
        env={**os.environ, "PGPASSWORD": source["PASSWORD"] or ""},
        check=True,
        capture_output=True,
        timeout=60,
    ).stdout
    subprocess.run(
        [postgres_binary("psql"), "-q", "-v", "ON_ERROR_STOP=1", server_url],
        input=dump,
        check=True,
        capture_output=True,
        timeout=60,
    )


def server_environment(tmp_path: Path, database_url: str) -> dict:
    # Every request must reach the database (no cached page to answer it).
    return {
        **production_environment(tmp_path, database_url, redis=False),
        "PAGE_CACHE": "false",
    }


@pytest.fixture
def site(db, tmp_path):
    """gunicorn (3 workers, production settings) on a private PostgreSQL."""
    # Static files are collected (no database needed) while PostgreSQL starts and
    # is loaded, to keep the test short.
    collecting = subprocess.Popen(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=PROJECT,
        env=server_environment(tmp_path, "postgres://unused@127.0.0.1:1/unused"),
    )
    with private_postgres() as postgres:
        copy_test_database(postgres.url())
        env = server_environment(tmp_path, postgres.url())
        assert collecting.wait(timeout=60) == 0
        seeded = json.loads(run_python(env, SEED))
        port = free_port()
        log = tmp_path / "gunicorn.log"
        with gunicorn(env, port, workers=3, log=log):
            base = f"http://127.0.0.1:{port}"
            yield {"base": base, "postgres": postgres, "log": log, **seeded}


def fetch(url: str, fields: dict | None = None) -> tuple[int, dict, str]:
    token = "retrytestretrytestretrytestretry"  # any 32 letters: cookie = header
    request = Request(  # noqa: S310 - loopback
        url,
        data=urlencode(fields).encode() if fields is not None else None,
        headers={
            "Accept": "application/json",
            "Cookie": f"csrftoken={token}",
            "X-CSRFToken": token,
        },
    )
    try:
        with urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, dict(response.headers), response.read().decode()
    except HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def sessions_waiting_on_locks(server_url: str) -> int:
    with psycopg.connect(server_url, autocommit=True) as probe:
        return probe.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        ).fetchone()[0]


def test_requests_caught_by_a_postgresql_restart(site):
    comments_url = f"{site['base']}/reader/pages/{site['article']}/comments/"
    comment = {"name": "Ada", "email": "ada@example.com"}
    keyed = {**comment, "body": "Keyed comment", "submission_key": str(uuid.uuid4())}
    unkeyed = {**comment, "body": "Unkeyed comment"}

    # Hold the locks: the home page's row table against every read, the comment
    # table against inserts (reads of it still pass, so the keyed comment's lookup
    # runs and it blocks in its INSERT).
    holder = psycopg.connect(site["postgres"].url())
    holder.execute("LOCK TABLE home_homepage IN ACCESS EXCLUSIVE MODE")
    holder.execute("LOCK TABLE engagement_comment IN SHARE MODE")

    with ThreadPoolExecutor(max_workers=3) as pool:
        reading = pool.submit(fetch, f"{site['base']}/")
        retry_safe_write = pool.submit(fetch, comments_url, keyed)
        plain_write = pool.submit(fetch, comments_url, unkeyed)

        # All three are inside a query, holding their connections.
        assert wait_for(
            lambda: sessions_waiting_on_locks(site["postgres"].url()) == 3, seconds=10
        ), "the requests never reached their locked queries"
        site["postgres"].restart()

        read_status, _, read_body = reading.result(timeout=30)
        safe_status, _, _ = retry_safe_write.result(timeout=30)
        plain_status, plain_headers, plain_body = plain_write.result(timeout=30)
    holder.close()  # its session died with the restart

    # The read and the retry-safe write were re-run and succeeded...
    assert read_status == 200
    assert site["home_title"] in read_body
    assert safe_status == 201
    # ...by the middleware (once each), not by luck of timing.
    assert site["log"].read_text().count(RETRY_LOGGED) == 2

    # The plain write was not re-run: a clean 503 asking to come back.
    assert plain_status == 503
    assert plain_headers["Retry-After"] == "30"
    assert "back in a moment" in plain_body
    assert "Traceback" not in plain_body

    # Nothing written twice; the failed write not written at all.
    with psycopg.connect(site["postgres"].url()) as check:
        stored = check.execute("SELECT body FROM engagement_comment").fetchall()
    assert stored == [("Keyed comment",)]
