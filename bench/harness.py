"""Shared set-up for the server benchmarks: a throwaway database, a production-shaped
environment, seeded articles and a gunicorn process on loopback."""

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def fresh_postgres_url(base_url: str, name: str, template: str = "") -> str:
    """Drop and recreate database `name` on the server of `base_url` (a copy of
    database `template` when given, which must have no connections); its URL."""
    parts = urlsplit(base_url)
    args = [
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
        "-d",
        "postgres",
    ]
    env = {**os.environ, "PGPASSWORD": parts.password or ""}
    for sql in (
        f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
        f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""),
    ):
        subprocess.run(
            ["psql", *args, "-q", "-c", sql], check=True, env=env, capture_output=True
        )
    return urlunsplit(parts._replace(path=f"/{name}"))


def server_environment(workdir: Path, database_url: str, redis_url: str) -> dict:
    """Production settings (plus a trivial view) on the given services."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "SITE_URL": "http://127.0.0.1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        "PYTHONPATH": str(ROOT),
        "LOG_LEVEL": "WARNING",
    }


def manage(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


SEED = """
import sys, django; django.setup()
from django.core.cache import cache
from articles.factories import ArticleIndexPageFactory, ArticlePageFactory
from cms.factories import ImageFactory, UserFactory
from home.models import HomePage
index = ArticleIndexPageFactory(parent=HomePage.objects.get())
authors = [UserFactory(username=f"author{n}") for n in range(5)]
images = [ImageFactory() for _ in range(10)]
for n in range(int(sys.argv[1])):
    article = ArticlePageFactory(parent=index, author=authors[n % 5],
        featured_image=images[n % 10], tags=[f"topic-{n % 8}", "all"])
    print(article.url)
cache.clear()
"""


def prepare_site(env: dict, article_count: int) -> list[str]:
    """Migrate, collect static files and seed articles; their URLs."""
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input")
    out = subprocess.run(
        [sys.executable, "-c", SEED, str(article_count)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return [url for url in out if url.startswith("/articles/")]


GUNICORN_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
# As the Makefile's WORKER_OPTIONS.
WORKER_OPTIONS = ("--interval", "0.1", "--no-startup-delay")
# The settings whose default TASK_QUEUE is the database.
QUEUEING_SETTINGS = {"cms.settings.production", "bench.settings"}


@contextmanager
def gunicorn(
    env: dict,
    port: int,
    workers: int | None = 3,
    log: Path | None = None,
    options: Sequence[str] = (),
) -> Iterator[subprocess.Popen]:
    """gunicorn with the deployment's settings (deploy/gunicorn.conf.py) on
    127.0.0.1:`port`, answering when the block starts and stopped (master and
    workers) when it ends, however it ends; with the task worker beside it, as
    `make serve` runs them. `workers=None` leaves the number to
    the settings file (one process without REDIS_URL); `options` override it.
    Its output goes to `log` (overwritten) when given."""
    output = open(log, "w") if log else None  # closed when the server stops
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--config",
            str(GUNICORN_CONFIG),
            "--bind",
            f"127.0.0.1:{port}",
            *(["--workers", str(workers)] if workers else []),
            *options,
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,  # its own process group: stopped as one below
        stdout=output,
        stderr=output,
    )
    try:
        with task_worker(env, output):
            wait_until_up(f"http://127.0.0.1:{port}/healthz")
            yield server
    finally:
        stop_process_group(server)
        if output:
            output.close()


def stop_process_group(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextmanager
def task_worker(env: dict, output=None) -> Iterator[subprocess.Popen | None]:
    """The task worker `make serve` runs beside gunicorn, when the settings queue
    tasks in the database (production's default): purges and index updates are
    carried out by it. None when tasks run immediately."""
    queued = env.get("DJANGO_SETTINGS_MODULE") in QUEUEING_SETTINGS
    if not queued or env.get("TASK_QUEUE", "database") != "database":
        yield None
        return
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", *WORKER_OPTIONS],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=output,
        stderr=output,
    )
    try:
        yield worker
    finally:
        stop_process_group(worker)


def wait_until_up(url: str) -> None:
    for _ in range(150):
        try:
            urllib.request.urlopen(url, timeout=1)  # noqa: S310 - loopback only
            return
        except Exception:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer {url}")
