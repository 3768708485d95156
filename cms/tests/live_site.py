"""A real site for concurrency tests: its own database on the backend the suite
uses (a SQLite file on the embedded default, a fresh PostgreSQL database when
DATABASE_URL is set), Redis when REDIS_URL is set, and gunicorn on 127.0.0.1."""

import atexit
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
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


def manage(env: dict, *command: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *command, "--no-input"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


# Migrating a new database from nothing takes about 13 s and a dozen tests each
# start a site: each process migrates one template (a SQLite file, a PostgreSQL
# database) and collects the static files once, and every site starts from a
# copy. The process's temporary folder holds both.
_SHARED = {}


def _shared_folder() -> Path:
    if "folder" not in _SHARED:
        folder = Path(tempfile.mkdtemp(prefix="presswagon-live-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _SHARED["folder"] = folder
    return _SHARED["folder"]


def _template_database(env: dict) -> str:
    """The migrated template for the backend of env's DATABASE_URL: a file
    path (SQLite) or a database name (PostgreSQL)."""
    url = env["DATABASE_URL"]
    key = "postgres template" if url.startswith("postgres") else "sqlite template"
    if key not in _SHARED:
        if url.startswith("postgres"):
            # Named after the suite's database, as the sites are (server_environment).
            suite_database = urlsplit(os.environ["DATABASE_URL"]).path.lstrip("/")
            name = f"presswagon_template_{suite_database or 'postgres'}"
            template_url = fresh_postgres_url(url, name)
            template = name
        else:
            template = str(_shared_folder() / "template.sqlite3")
            template_url = f"sqlite:///{template}"
        manage({**env, "DATABASE_URL": template_url}, "migrate")
        _SHARED[key] = template
    return _SHARED[key]


def copy_of_migrated_database(env: dict) -> None:
    """Make env's database a copy of the migrated template; then `migrate`
    (nothing left to apply) runs what follows every migrate: the Site record
    takes this site's SITE_URL, and the page cache is cleared, as after a
    deployment."""
    template = _template_database(env)
    url = env["DATABASE_URL"]
    if url.startswith("postgres"):
        # The template has no connections: its migrate process has ended.
        fresh_postgres_url(url, urlsplit(url).path.lstrip("/"), template=template)
    else:
        shutil.copyfile(template, urlsplit(url).path)
    manage(env, "migrate")


def shared_static_root(env: dict) -> str:
    """The static files, collected once per process (they do not change
    while the suite runs; the admin needs them)."""
    if "static" not in _SHARED:
        static = _shared_folder() / "static"
        manage({**env, "STATIC_ROOT": str(static)}, "collectstatic")
        _SHARED["static"] = str(static)
    return _SHARED["static"]


def prepared_site(
    tmp_path: Path,
    database_name: str,
    seed: str,
    redis: bool = True,
    extra_env: dict | None = None,
) -> tuple[dict, str]:
    """A migrated database with static files, then `seed` run: the server
    environment (with `extra_env` over it) and the seed's output."""
    env = {**server_environment(tmp_path, database_name, redis), **(extra_env or {})}
    env["STATIC_ROOT"] = shared_static_root(env)
    copy_of_migrated_database(env)
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
