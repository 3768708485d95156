"""A real site for concurrency tests: its own database on the backend the suite
uses (a SQLite file on the embedded default, a fresh PostgreSQL database when
DATABASE_URL is set), Redis when REDIS_URL is set, and gunicorn on 127.0.0.1."""

import os
import secrets
import socket
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from bench.harness import fresh_postgres_url, gunicorn

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment(tmp_path: Path, database_name: str, redis: bool = True) -> dict:
    """Production settings on the suite's backend; without Redis (the embedded
    shape) when `redis` is False, whatever REDIS_URL says."""
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith("postgres"):
        # Named after the suite's own database too, so two suites sharing one
        # PostgreSQL server (two checkouts) never drop each other's.
        suite_database = urlsplit(database_url).path.lstrip("/") or "postgres"
        database_url = fresh_postgres_url(
            database_url, f"{database_name}_{suite_database}"
        )
    else:
        database_url = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    return production_environment(tmp_path, database_url, redis)


def production_environment(
    tmp_path: Path, database_url: str, redis: bool, site_url: str = "http://127.0.0.1"
) -> dict:
    """Production settings for a local trial on `database_url`, answering at
    `site_url`."""
    inherited = {k: v for k, v in os.environ.items() if redis or k != "REDIS_URL"}
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(64),
        "SITE_URL": site_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SESSION_COOKIE_SECURE": "false",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "COMMENT_RATE_LIMIT": "1000/60",  # every request comes from 127.0.0.1
        "LOG_LEVEL": "WARNING",
    }


def run_python(env: dict, code: str, timeout: float = 300) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    # A failure says why: the child's own traceback, not only its exit status.
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


def prepared_site(
    tmp_path: Path,
    database_name: str,
    seed: str,
    redis: bool = True,
    extra_env: dict | None = None,
) -> tuple[dict, str]:
    """Migrate, collect static files and run `seed`: the server environment (with
    `extra_env` over it) and the seed's output."""
    env = {**server_environment(tmp_path, database_name, redis), **(extra_env or {})}
    for command in (["migrate"], ["collectstatic"]):  # the admin needs its static
        subprocess.run(
            [sys.executable, "manage.py", *command, "--no-input"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    return env, run_python(env, seed)


@contextmanager
def running_site(
    tmp_path: Path,
    database_name: str,
    seed: str,
    redis: bool = True,
    extra_env: dict | None = None,
    log: Path | None = None,
    workers: int | None = 3,
    site_url: str | None = None,
):
    """A prepared site (above) served with 3 workers (`None`: as many as
    deploy/gunicorn.conf.py chooses), answering at `site_url` (default: its own
    address, as `make serve`); yields its base URL, the seed's output and the
    environment. gunicorn's output goes to `log` if given."""
    port = free_port()
    extra_env = {
        "SITE_URL": site_url or f"http://127.0.0.1:{port}",
        **(extra_env or {}),
    }
    env, seeded = prepared_site(tmp_path, database_name, seed, redis, extra_env)
    with gunicorn(env, port, workers=workers, log=log):
        drain_task_queue(env)
        yield f"http://127.0.0.1:{port}", seeded, env


DRAIN_QUEUE = """
import time, django; django.setup()
from django_tasks_db.models import DBTaskResult
deadline = time.monotonic() + 60
while DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists():
    assert time.monotonic() < deadline, "the task worker did not drain the queue"
    time.sleep(0.1)
"""


def drain_task_queue(env: dict) -> None:
    """Wait until the task worker has carried out every queued task (the seed's
    purges and index updates, and their delayed repeats): a late purge would
    otherwise land in the middle of a test."""
    if env.get("TASK_QUEUE", "database") == "database":
        run_python(env, DRAIN_QUEUE)
