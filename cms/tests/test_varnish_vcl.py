"""deploy/varnish/presswagon.vcl in a real varnishd (bench.services.PrivateVarnish).

A stub app stands in for the site: a small HTTP server that answers every path
with the headers its query string asks for (`?cc=<Cache-Control>&xkey=<tags>`)
and records what reached it, so each test sees exactly what Varnish kept, passed
and forwarded. Every test uses paths and tags of its own (`uid`), so the shared
Varnish never mixes them up.

Without varnishd (apt-get install varnish varnish-modules) the module is skipped;
under CI=true it fails instead: a skip there would hide that the VCL went untested.
"""

import http.client
import threading
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from bench.services import PrivateVarnish
from cms.tests.private_servers import free_port, require_varnishd, wait_for

require_varnishd()

SHARED = "public, max-age=0, s-maxage=3600"
# All of 127.0.0.0/8 is local on Linux: a client connecting from here is on the
# machine but not in the VCL's `acl purgers` (127.0.0.1, ::1).
NOT_A_PURGER = "127.0.0.2"


@dataclass
class Seen:
    method: str
    path: str
    cookie: str | None
    authorization: str | None


class StubApp(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, name: str):
        super().__init__(("127.0.0.1", free_port()), StubHandler)
        self.name = name
        self.seen: list[Seen] = []

    def requests(self, path: str) -> list[Seen]:
        return [seen for seen in self.seen if seen.path == path]


class StubHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as gunicorn answers Varnish
    server: StubApp

    def do_GET(self):
        url = urlsplit(self.path)
        self.server.seen.append(
            Seen(
                self.command,
                url.path,
                self.headers.get("Cookie"),
                self.headers.get("Authorization"),
            )
        )
        wanted = parse_qs(url.query)
        body = f"{self.server.name} {len(self.server.seen)}".encode()
        self.send_response(200)
        for name, header in (
            ("cc", "Cache-Control"),
            ("xkey", "xkey"),
            ("cookie", "Set-Cookie"),
        ):
            if name in wanted:
                self.send_header(header, wanted[name][0])
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_HEAD = do_POST = do_GET

    def log_message(self, format, *args):
        pass


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str

    @property
    def edge(self) -> str | None:
        return self.headers.get("X-Edge-Cache")


def ask(
    varnish: PrivateVarnish,
    path: str,
    method: str = "GET",
    source: str = "127.0.0.1",
    **headers: str,
) -> Answer:
    connection = http.client.HTTPConnection(
        "127.0.0.1", varnish.port, timeout=5, source_address=(source, 0)
    )
    try:
        connection.request(
            method, path, headers={k.replace("_", "-"): v for k, v in headers.items()}
        )
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read().decode())
    finally:
        connection.close()


def page(path: str, cc: str | None = SHARED, **response_headers: str) -> str:
    """A path on the stub app that answers with these headers."""
    query = {"cc": cc} if cc is not None else {}
    return f"{path}?{urlencode({**query, **response_headers})}"


@pytest.fixture(scope="module")
def app():
    server = StubApp("app1")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def varnish(app):
    with PrivateVarnish([("127.0.0.1", app.server_port)]) as server:
        yield server


@pytest.fixture
def uid() -> str:
    return uuid.uuid4().hex[:12]


def test_shared_page_is_kept_and_its_tags_stay_private(varnish, app, uid):
    url = page(f"/{uid}", xkey=f"a-{uid} b-{uid}")

    first, second = ask(varnish, url), ask(varnish, url)

    assert (first.edge, second.edge) == ("MISS", "HIT")
    assert second.body == first.body
    assert len(app.requests(f"/{uid}")) == 1
    assert "xkey" not in first.headers and "xkey" not in second.headers
    assert "Age" in second.headers
    assert second.headers["Cache-Control"] == SHARED  # browsers still revalidate


def test_purge_by_tag_drops_only_the_tagged_pages(varnish, app, uid):
    tagged = page(f"/tagged-{uid}", xkey=f"a-{uid} b-{uid}")
    other = page(f"/other-{uid}", xkey=f"c-{uid}")
    for url in (tagged, other):
        ask(varnish, url)
        assert ask(varnish, url).edge == "HIT"

    purge = ask(varnish, "/", method="PURGE", xkey=f"a-{uid}")

    assert purge.status == 200
    assert purge.headers["X-Purged"] == "1"
    assert ask(varnish, tagged).edge == "MISS"
    assert len(app.requests(f"/tagged-{uid}")) == 2
    assert ask(varnish, other).edge == "HIT"
    assert len(app.requests(f"/other-{uid}")) == 1


def test_purge_by_several_tags_at_once(varnish, uid):
    first = page(f"/first-{uid}", xkey=f"a-{uid}")
    second = page(f"/second-{uid}", xkey=f"b-{uid}")
    for url in (first, second):
        ask(varnish, url)

    purge = ask(varnish, "/", method="PURGE", xkey=f"a-{uid} b-{uid}")

    assert purge.headers["X-Purged"] == "2"
    assert [ask(varnish, url).edge for url in (first, second)] == ["MISS", "MISS"]


def test_hosts_differing_in_case_share_one_copy(varnish, app, uid):
    url = page(f"/{uid}")

    ask(varnish, url, Host="News.Example.org")

    assert ask(varnish, url, Host="news.example.org").edge == "HIT"


def test_purge_by_url(varnish, app, uid):
    url, neighbour = page(f"/{uid}"), page(f"/neighbour-{uid}")
    for each in (url, neighbour):
        ask(varnish, each)

    assert ask(varnish, url, method="PURGE").status == 200

    assert ask(varnish, url).edge == "MISS"
    assert len(app.requests(f"/{uid}")) == 2
    assert ask(varnish, neighbour).edge == "HIT"


def test_purge_from_outside_the_acl_is_refused(varnish, uid):
    url = page(f"/{uid}", xkey=f"a-{uid}")
    ask(varnish, url)

    by_tag = ask(varnish, "/", method="PURGE", source=NOT_A_PURGER, xkey=f"a-{uid}")
    by_url = ask(varnish, url, method="PURGE", source=NOT_A_PURGER)

    assert (by_tag.status, by_url.status) == (403, 403)
    assert "X-Purged" not in by_tag.headers
    forged = ask(varnish, "/", method="PURGE", source=NOT_A_PURGER, X_Purged="9")
    assert "X-Purged" not in forged.headers
    assert ask(varnish, url, source=NOT_A_PURGER).edge == "HIT"  # readers may GET


def test_purge_relayed_by_a_proxy_is_refused(varnish, uid):
    # nginx on the same machine connects from 127.0.0.1 (in the ACL) for anyone,
    # adding the reader's address to X-Forwarded-For.
    url = page(f"/{uid}", xkey=f"a-{uid}")
    ask(varnish, url)

    relayed = ask(
        varnish,
        "/",
        method="PURGE",
        xkey=f"a-{uid}",
        X_Forwarded_For="203.0.113.9",
    )

    assert relayed.status == 403
    assert ask(varnish, url).edge == "HIT"


@pytest.mark.parametrize(
    ("cc", "extra"),
    [
        (SHARED, {"cookie": "csrftoken=t; Path=/"}),
        ("private, max-age=600", {}),
        ("no-store", {}),
        ("public, s-maxage=600, no-cache", {}),
        ("max-age=0", {}),
        (None, {}),  # the app said nothing: not kept for Varnish's default_ttl
    ],
    ids=["set-cookie", "private", "no-store", "no-cache", "max-age=0", "silent"],
)
def test_what_the_app_does_not_share_is_never_kept(varnish, app, uid, cc, extra):
    url = page(f"/{uid}", cc=cc, **extra)

    answers = [ask(varnish, url) for _ in range(3)]

    assert [answer.edge for answer in answers] == ["MISS"] * 3
    assert len(app.requests(f"/{uid}")) == 3
    if "cookie" in extra:
        assert answers[-1].headers["Set-Cookie"] == extra["cookie"]


@pytest.mark.parametrize(
    "credentials",
    [
        {"Cookie": "sessionid=x"},
        {"Cookie": "_ga=1; sessionid=x"},
        {"Authorization": "Basic ZWRpdG9yOnB3"},
    ],
    ids=["session", "session-among-others", "authorization"],
)
def test_signed_in_requests_reach_the_app_with_their_credentials(
    varnish, app, uid, credentials
):
    url = page(f"/{uid}")

    answers = [ask(varnish, url, **credentials) for _ in range(2)]

    assert [answer.edge for answer in answers] == ["PASS", "PASS"]
    seen = app.requests(f"/{uid}")
    assert len(seen) == 2
    assert seen[-1].cookie == credentials.get("Cookie")
    assert seen[-1].authorization == credentials.get("Authorization")
    # What an editor was shown was not kept for anonymous readers.
    assert ask(varnish, url).edge == "MISS"


def test_other_cookies_are_stripped_from_public_pages(varnish, app, uid):
    url = page(f"/{uid}")

    first = ask(varnish, url, Cookie="_ga=1; csrftoken=t")
    second = ask(varnish, url, Cookie="_ga=2")

    assert (first.edge, second.edge) == ("MISS", "HIT")
    [seen] = app.requests(f"/{uid}")
    assert seen.cookie is None


@pytest.mark.parametrize(
    "prefix",
    [
        "/admin/pages/",
        "/reader/rate/",
        "/csrf/",
        "/documents/1/",
        "/share/",
        "/calendar/ical/",
    ],
)
def test_per_user_views_always_reach_the_app_with_cookies(varnish, app, uid, prefix):
    # Even when they (wrongly) answer as shareable, and without a session.
    url = page(f"{prefix}{uid}")

    answers = [ask(varnish, url, Cookie="csrftoken=t") for _ in range(2)]

    assert [answer.edge for answer in answers] == ["PASS", "PASS"]
    seen = app.requests(f"{prefix}{uid}")
    assert [each.cookie for each in seen] == ["csrftoken=t"] * 2


def test_writes_pass_with_their_cookies(varnish, app, uid):
    url = page(f"/{uid}")

    answer = ask(varnish, url, method="POST", Cookie="csrftoken=t")

    assert answer.edge == "PASS"
    assert app.requests(f"/{uid}")[0].cookie == "csrftoken=t"
    assert ask(varnish, url).edge == "MISS"  # the POST's answer was not kept


def test_grace_comes_from_stale_while_revalidate_only(varnish, app, uid):
    graced = page(f"/graced-{uid}", cc="public, s-maxage=1, stale-while-revalidate=30")
    strict = page(f"/strict-{uid}", cc="public, s-maxage=1")
    for url in (graced, strict):
        ask(varnish, url)
    time.sleep(1.3)  # both expired

    stale, fresh = ask(varnish, graced), ask(varnish, strict)

    # The old copy at once, and a new one fetched behind it.
    assert stale.edge == "HIT"
    assert int(stale.headers["Age"]) >= 1
    assert wait_for(lambda: len(app.requests(f"/graced-{uid}")) == 2, seconds=5)
    # Without stale-while-revalidate the app allowed no stale copy.
    assert fresh.edge == "MISS"
    assert len(app.requests(f"/strict-{uid}")) == 2


def test_purged_pages_are_never_served_stale(varnish, app, uid):
    cc = "public, s-maxage=3600, stale-while-revalidate=3600"
    by_tag = page(f"/by-tag-{uid}", cc=cc, xkey=f"a-{uid}")
    by_url = page(f"/by-url-{uid}", cc=cc)
    for url in (by_tag, by_url):
        ask(varnish, url)

    ask(varnish, "/", method="PURGE", xkey=f"a-{uid}")
    ask(varnish, by_url, method="PURGE")

    assert [ask(varnish, url).edge for url in (by_tag, by_url)] == ["MISS", "MISS"]
    assert len(app.requests(f"/by-tag-{uid}")) == 2
    assert len(app.requests(f"/by-url-{uid}")) == 2


def test_the_health_probe_asks_for_healthz(varnish, app):
    assert any(seen.path == "/healthz" for seen in app.seen)


def test_two_app_nodes_share_the_work_and_one_purge_clears_both(uid):
    nodes = [StubApp("app1"), StubApp("app2")]
    for node in nodes:
        threading.Thread(target=node.serve_forever, daemon=True).start()
    try:
        with PrivateVarnish([("127.0.0.1", n.server_port) for n in nodes]) as varnish:
            urls = [page(f"/{uid}-{n}", xkey=f"all-{uid}") for n in range(6)]
            filled_by = {url: ask(varnish, url).body.split()[0] for url in urls}

            # Round robin: consecutive misses alternate between the nodes.
            assert sorted(filled_by.values()) == ["app1"] * 3 + ["app2"] * 3
            assert [ask(varnish, url).edge for url in urls] == ["HIT"] * 6

            purge = ask(varnish, "/", method="PURGE", xkey=f"all-{uid}")

            assert purge.headers["X-Purged"] == "6"
            assert [ask(varnish, url).edge for url in urls] == ["MISS"] * 6
    finally:
        for node in nodes:
            node.shutdown()
            node.server_close()
