"""50 readers comment at once through a real server: each comment stored once.

gunicorn (3 workers) runs on 127.0.0.1 against its own database on the backend this
suite uses (a SQLite file on the embedded default, a fresh PostgreSQL database when
DATABASE_URL is set) and Redis when REDIS_URL is set. Every comment is sent twice at
the same moment with the same submission key, as a double click or a retry would.
"""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from bench.harness import fresh_postgres_url, start_gunicorn

ROOT = Path(__file__).resolve().parents[2]
COMMENTS = 50

SEED = """
import django; django.setup()
from articles.factories import ArticleIndexPageFactory, ArticlePageFactory
from home.models import HomePage
index = ArticleIndexPageFactory(parent=HomePage.objects.get())
print(ArticlePageFactory(parent=index).pk)
"""
STORED = """
import json, django; django.setup()
from articles.models import Comment
print(json.dumps(list(Comment.objects.values_list("body", flat=True))))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment(tmp_path: Path) -> dict:
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith("postgres"):
        database_url = fresh_postgres_url(database_url, "presswagon_concurrency")
    else:
        database_url = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SESSION_COOKIE_SECURE": "false",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "COMMENT_RATE_LIMIT": "1000/60",  # every request comes from 127.0.0.1
        "LOG_LEVEL": "WARNING",
    }


def run_python(env: dict, code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def wait_until_up(base: str, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urlopen(f"{base}/healthz", timeout=1):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn did not come up")


def post(url: str, fields: dict, token: str) -> int:
    request = Request(  # noqa: S310 - loopback
        url,
        data=urlencode(fields).encode(),
        headers={
            "Accept": "application/json",
            "Cookie": f"csrftoken={token}",
            "X-CSRFToken": token,
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    try:
        with urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return response.status
    except HTTPError as error:
        return error.code


def test_concurrent_comments_through_gunicorn_are_stored_exactly_once(tmp_path):
    env = server_environment(tmp_path)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    article_id = int(run_python(env, SEED))
    port = free_port()
    server = start_gunicorn(env, port, workers=3)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base)
        with urlopen(f"{base}/csrf/", timeout=5) as response:  # noqa: S310
            token = json.load(response)["token"]
        url = f"{base}/reader/articles/{article_id}/comments/"
        comments = [
            {
                "name": f"Reader {n}",
                "email": f"reader{n}@example.com",
                "body": f"Comment number {n}",
                "submission_key": str(uuid.uuid4()),
            }
            for n in range(COMMENTS)
        ]
        sends = [comment for comment in comments for _ in range(2)]
        with ThreadPoolExecutor(max_workers=len(sends)) as pool:
            statuses = list(pool.map(lambda c: post(url, c, token), sends))
    finally:
        server.terminate()
        server.wait(timeout=10)

    assert statuses == [201] * len(sends)
    stored = json.loads(run_python(env, STORED))
    assert sorted(stored) == sorted(comment["body"] for comment in comments)
