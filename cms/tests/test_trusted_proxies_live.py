"""Trusted proxies for real: a reverse proxy process (cms/tests/forwarding_proxy.py)
in front of gunicorn running production settings.

Everything is on loopback, told apart by source address (all of 127.0.0.0/8 is
local on Linux): the proxy connects to gunicorn from 127.0.0.2, the only trusted
proxy; reader A connects from 127.1.0.10 and reader B from 127.2.0.11, to the proxy
or, forging headers, straight to gunicorn.
"""

import http.client
import json
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from urllib.parse import urlencode, urlsplit

from cms.tests.live_site import ROOT, free_port, running_site

PROXY_SOURCE = "127.0.0.2"
READER_A = "127.1.0.10"
READER_B = "127.2.0.11"

SEED = """
import django; django.setup()
from articles.factories import ArticleIndexPageFactory, ArticlePageFactory
from home.models import HomePage
index = ArticleIndexPageFactory(parent=HomePage.objects.get())
print(ArticlePageFactory(parent=index).pk)
"""


@contextmanager
def forwarding_proxy(upstream_port: int):
    port = free_port()
    proxy = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cms.tests.forwarding_proxy",
            str(port),
            str(upstream_port),
            PROXY_SOURCE,
        ],
        cwd=ROOT,
    )
    try:
        for _ in range(100):
            try:
                if request(port, "127.0.0.1", "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)


def request(port, source, method, path, body=None, headers=None):
    """(status, headers, body) of one request to 127.0.0.1:`port` from `source`."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=30, source_address=(source, 0)
    )
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def comment(port, source, page_id, scheme="https", headers=None) -> int:
    """A reader's comment, CSRF token and all, as a browser would send it."""
    token = json.loads(request(port, source, "GET", "/csrf/")[2])["token"]
    fields = {
        "name": "Reader",
        "email": "reader@example.com",
        "body": f"Comment {uuid.uuid4()}",
        "submission_key": str(uuid.uuid4()),
    }
    status, _, _ = request(
        port,
        source,
        "POST",
        f"/reader/pages/{page_id}/comments/",
        body=urlencode(fields),
        headers={
            "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={token}",
            "X-CSRFToken": token,
            "Origin": f"{scheme}://127.0.0.1:{port}",
            **(headers or {}),
        },
    )
    return status


def test_readers_behind_a_trusted_proxy_are_told_apart_and_forgers_are_not(tmp_path):
    log = tmp_path / "gunicorn.log"
    extra_env = {
        "TRUSTED_PROXIES": PROXY_SOURCE,
        "COMMENT_RATE_LIMIT": "2/600",
        "LOG_LEVEL": "INFO",
        "LOG_FORMAT": "json",
    }
    # As many workers as `make serve` runs: without Redis one process, since
    # rate-limit counts live in each process's memory.
    with running_site(
        tmp_path, "presswagon_proxies", SEED, extra_env=extra_env, log=log, workers=None
    ) as (base, seeded, _):
        page_id = int(seeded)
        site_port = urlsplit(base).port
        with forwarding_proxy(site_port) as proxy_port:
            # Reader A uses up her limit through the proxy...
            a = [comment(proxy_port, READER_A, page_id) for _ in range(3)]
            # ...reader B, through the same proxy, is not affected.
            b = comment(proxy_port, READER_B, page_id)
            # A forged X-Forwarded-For through the proxy: the proxy appends A's
            # address, the right-most untrusted entry, so it is still A.
            forged_via_proxy = comment(
                proxy_port, READER_A, page_id, headers={"X-Forwarded-For": READER_B}
            )
            # Straight to gunicorn, A's forged headers are not believed at all.
            forged_direct = comment(
                site_port,
                READER_A,
                page_id,
                scheme="http",
                headers={
                    "X-Forwarded-For": "127.3.0.12",
                    "X-Forwarded-Proto": "https",
                },
            )
            # The scheme follows the same rule: HSTS goes only on HTTPS answers.
            via_proxy = request(proxy_port, READER_A, "GET", "/healthz")[1]
            direct = request(
                site_port,
                READER_A,
                "GET",
                "/healthz",
                headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "1.2.3.4"},
            )[1]

    assert a == [201, 201, 429]
    assert b == 201
    assert forged_via_proxy == 429
    assert forged_direct == 429
    assert "Strict-Transport-Security" in via_proxy
    assert "Strict-Transport-Security" not in direct

    lines = log.read_text().splitlines()
    requests = [
        json.loads(line) for line in lines if '"logger": "cms.requests"' in line
    ]
    comments = [
        (r["status"], r["client"])
        for r in requests
        if r["path"] == f"/reader/pages/{page_id}/comments/"
    ]
    # Each reader's own network, never the proxy's (127.0.0.0/24) nor a forged one.
    assert comments == [
        (201, "127.1.0.0/24"),
        (201, "127.1.0.0/24"),
        (429, "127.1.0.0/24"),
        (201, "127.2.0.0/24"),
        (429, "127.1.0.0/24"),
        (429, "127.1.0.0/24"),
    ]
    # One request log: gunicorn writes no access lines beside it.
    assert not [line for line in lines if "HTTP/1.1" in line]
