"""50 readers comment at once through a real server: each comment stored once.

gunicorn (3 workers) runs on 127.0.0.1 against its own database on the backend this
suite uses (a SQLite file on the embedded default, a fresh PostgreSQL database when
DATABASE_URL is set) and Redis when REDIS_URL is set. Every comment is sent twice at
the same moment with the same submission key, as a double click or a retry would.
"""

import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from cms.tests.live_site import run_python, running_site

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
from engagement.models import Comment
print(json.dumps(list(Comment.objects.values_list("body", flat=True))))
"""


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
    with running_site(tmp_path, "presswagon_concurrency", SEED) as (base, seeded, env):
        page_id = int(seeded)
        with urlopen(f"{base}/csrf/", timeout=5) as response:  # noqa: S310
            token = json.load(response)["token"]
        url = f"{base}/reader/pages/{page_id}/comments/"
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

    assert statuses == [201] * len(sends)
    stored = json.loads(run_python(env, STORED))
    assert sorted(stored) == sorted(comment["body"] for comment in comments)
