"""The edge purgers against a real HTTP server on loopback that records every
request and answers as scripted: what each adapter sends, how it batches, retries
and fails, and that the API token never leaves the request."""

import email.utils
import logging
import time
from datetime import UTC, datetime, timedelta

import pytest

from cms.edge import transport, varnish
from cms.edge.purgers import EdgePurgeFailed, configured_purgers, purger_named
from cms.edge.tags import edge_tags
from cms.tests.edge_server import DROP, Answer, EdgeServer, Stall
from cms.tests.private_servers import free_port

CF_TOKEN = "cf-token-9f8e7d6c5b4a"
FASTLY_TOKEN = "fastly-token-1a2b3c4d5e"
ZONE = "zone0123abcd"
SERVICE = "svc4567efgh"


def our_tags(count: int) -> list[str]:
    return [f"page:{number}" for number in range(count)]


@pytest.fixture
def edge_servers():
    """edge_servers() starts one more server; all stop after the test."""
    started = []

    def start() -> EdgeServer:
        started.append(EdgeServer())
        return started[-1]

    yield start
    for server in started:
        server.close()


@pytest.fixture
def edge(edge_servers):
    return edge_servers()


@pytest.fixture
def waits(monkeypatch):
    """The waits between attempts, recorded instead of slept."""
    recorded = []
    monkeypatch.setattr(transport.time, "sleep", recorded.append)
    return recorded


@pytest.fixture
def no_proxy_env(monkeypatch):
    """The CDN purgers honour the environment's proxy; the tests choose their own."""
    for name in ("http", "https", "no"):
        monkeypatch.delenv(f"{name}_proxy", raising=False)
        monkeypatch.delenv(f"{name.upper()}_PROXY", raising=False)


@pytest.fixture
def cloudflare(settings, edge, no_proxy_env):
    settings.VARNISH_URLS = []
    settings.CDN = "cloudflare"
    settings.CLOUDFLARE_ZONE_ID = ZONE
    settings.CLOUDFLARE_API_TOKEN = CF_TOKEN
    settings.CLOUDFLARE_API_URL = f"{edge.url}/client/v4"
    [purger] = configured_purgers()
    return purger


@pytest.fixture
def fastly(settings, edge, no_proxy_env):
    settings.VARNISH_URLS = []
    settings.CDN = "fastly"
    settings.FASTLY_SERVICE_ID = SERVICE
    settings.FASTLY_API_TOKEN = FASTLY_TOKEN
    settings.FASTLY_API_URL = edge.url
    [purger] = configured_purgers()
    return purger


def assert_token_hidden(token, caplog, *texts):
    assert token not in caplog.text
    for text in texts:
        assert token not in text


# --- Varnish -------------------------------------------------------------------


def test_varnish_purges_every_node_with_the_hashed_tags_in_xkey(settings, edge_servers):
    first, second = edge_servers(), edge_servers()
    settings.VARNISH_URLS = [first.url, f"{second.url}/"]
    settings.CDN = ""
    tags = ["page:42", "articles:latest", "sitemap"]

    for purger in configured_purgers():
        purger.purge(tags)

    for server in (first, second):
        [request] = server.requests
        assert request.method == "PURGE"
        assert request.path == "/"
        assert request.headers["xkey"] == " ".join(edge_tags(tags))
        assert "page:42" not in request.headers["xkey"]
        assert request.body == b""


def test_varnish_batches_keep_each_xkey_header_under_8_kb(settings, edge):
    settings.VARNISH_URLS = [edge.url]
    tags = our_tags(1500)  # about 30 KB of hashed tags

    [purger] = configured_purgers()
    purger.purge(tags)

    values = [request.headers["xkey"] for request in edge.requests]
    assert len(values) == 4
    assert all(len(f"xkey: {value}\r\n") < 8 * 1024 for value in values)
    sent = [tag for value in values for tag in value.split(" ")]
    assert sent == edge_tags(tags)  # each exactly once, in order


@pytest.mark.parametrize("status", [404, 405, 500, 503])
def test_varnish_non_2xx_fails_without_retrying(settings, edge, status):
    settings.VARNISH_URLS = [edge.url]
    edge.answer(Answer(status, body="Method not allowed by the VCL"))
    [purger] = configured_purgers()

    with pytest.raises(EdgePurgeFailed, match=str(status)):
        purger.purge(["page:1"])
    assert len(edge.requests) == 1


def test_varnish_dropped_connection_fails(settings, edge):
    settings.VARNISH_URLS = [edge.url]
    edge.answer(DROP)
    [purger] = configured_purgers()

    with pytest.raises(EdgePurgeFailed, match=f"PURGE {edge.url}/"):
        purger.purge(["page:1"])


def test_varnish_silent_node_times_out(settings, edge, monkeypatch):
    settings.VARNISH_URLS = [edge.url]
    monkeypatch.setattr(varnish, "TIMEOUT", 0.2)
    edge.answer(Stall(1.0))
    [purger] = configured_purgers()

    started = time.monotonic()
    with pytest.raises(EdgePurgeFailed, match="timed out"):
        purger.purge(["page:1"])
    assert time.monotonic() - started < 0.9


def test_varnish_unreachable_node_fails(settings):
    settings.VARNISH_URLS = [f"http://127.0.0.1:{free_port()}"]  # nothing listens
    [purger] = configured_purgers()

    with pytest.raises(EdgePurgeFailed, match="Connection refused"):
        purger.purge(["page:1"])


def test_varnish_is_never_reached_through_the_environments_proxy(
    settings, edge, monkeypatch, no_proxy_env
):
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{free_port()}")
    settings.VARNISH_URLS = [edge.url]
    [purger] = configured_purgers()

    purger.purge(["page:1"])

    assert [request.path for request in edge.requests] == ["/"]


# --- Cloudflare ----------------------------------------------------------------


def test_cloudflare_request(cloudflare, edge):
    tags = ["page:42", "articles:tag:über-café"]

    cloudflare.purge(tags)

    [request] = edge.requests
    assert request.method == "POST"
    assert request.path == f"/client/v4/zones/{ZONE}/purge_cache"
    assert request.headers["Authorization"] == f"Bearer {CF_TOKEN}"
    assert request.headers["Content-Type"] == "application/json"
    assert request.json() == {"tags": edge_tags(tags)}


def test_cloudflare_sends_at_most_100_tags_a_request(cloudflare, edge):
    tags = our_tags(250)

    cloudflare.purge(tags)

    sent = [request.json()["tags"] for request in edge.requests]
    assert [len(batch) for batch in sent] == [100, 100, 50]
    assert [tag for batch in sent for tag in batch] == edge_tags(tags)


@pytest.mark.parametrize("status", [429, 500, 502, 503])
def test_cloudflare_retries_429_and_5xx_then_succeeds(cloudflare, edge, status):
    edge.answer(Answer(status, {"success": False, "errors": []}, {"Retry-After": "0"}))

    cloudflare.purge(["page:1"])

    assert len(edge.requests) == 2
    assert edge.requests[0].body == edge.requests[1].body


def test_cloudflare_honours_retry_after_up_to_two_seconds(cloudflare, edge, waits):
    edge.answer(
        Answer(429, headers={"Retry-After": "1"}),
        Answer(503, headers={"Retry-After": "30"}),
    )

    cloudflare.purge(["page:1"])

    assert waits == [1.0, 2.0]
    assert len(edge.requests) == 3


def test_retry_after_may_be_an_http_date(cloudflare, edge, waits):
    soon = email.utils.format_datetime(
        datetime.now(UTC) + timedelta(seconds=1.5), usegmt=True
    )
    edge.answer(
        Answer(429, headers={"Retry-After": soon}),
        Answer(429, headers={"Retry-After": "Thu, 01 Jan 1970 00:00:00 GMT"}),
    )

    cloudflare.purge(["page:1"])

    assert 0.4 < waits[0] <= 1.5  # whole seconds in the date: 0.5 to 1.5 s
    assert waits[1] == 0.0  # a date already past: at once


def test_cloudflare_gives_up_after_persistent_5xx(cloudflare, edge, waits, caplog):
    caplog.set_level(logging.DEBUG)
    busy = Answer(503, {"success": False, "errors": [{"code": 1, "message": "busy"}]})
    edge.answer(busy, busy, busy, Answer())

    with pytest.raises(EdgePurgeFailed, match="answered 503: 1 busy") as failed:
        cloudflare.purge(["page:1"])

    assert len(edge.requests) == transport.ATTEMPTS == 3
    assert waits == [0.5, 1.0]  # no Retry-After: a doubling backoff
    assert "trying again" in caplog.text
    assert_token_hidden(CF_TOKEN, caplog, str(failed.value), repr(failed.value))


def test_cloudflare_403_fails_at_once_with_cloudflares_errors(
    cloudflare, edge, waits, caplog
):
    caplog.set_level(logging.DEBUG)
    edge.answer(
        Answer(
            403,
            {
                "success": False,
                "errors": [{"code": 10000, "message": "Authentication error"}],
            },
        )
    )

    with pytest.raises(EdgePurgeFailed) as failed:
        cloudflare.purge(["page:1"])

    assert "403" in str(failed.value)
    assert "10000 Authentication error" in str(failed.value)
    assert len(edge.requests) == 1
    assert waits == []
    assert_token_hidden(CF_TOKEN, caplog, str(failed.value), repr(cloudflare))


@pytest.mark.parametrize(
    "body", [{"success": False, "errors": [{"code": 1, "message": "x"}]}, "<html>"]
)
def test_cloudflare_200_without_success_fails(cloudflare, edge, body):
    edge.answer(Answer(200, body))

    with pytest.raises(EdgePurgeFailed, match="answered 200"):
        cloudflare.purge(["page:1"])
    assert len(edge.requests) == 1


def test_cloudflare_stops_at_the_first_failed_batch(cloudflare, edge):
    edge.answer(Answer(), Answer(400, {"success": False, "errors": []}))

    with pytest.raises(EdgePurgeFailed, match="answered 400"):
        cloudflare.purge(our_tags(250))
    assert len(edge.requests) == 2


def test_cloudflare_redirect_is_not_followed(cloudflare, edge, edge_servers):
    elsewhere = edge_servers()
    edge.answer(Answer(307, headers={"Location": f"{elsewhere.url}/steal"}))

    with pytest.raises(EdgePurgeFailed, match="answered 307"):
        cloudflare.purge(["page:1"])
    assert elsewhere.requests == []


def test_cloudflare_dropped_connection_fails(cloudflare, edge, caplog):
    caplog.set_level(logging.DEBUG)
    edge.answer(DROP)

    with pytest.raises(EdgePurgeFailed) as failed:
        cloudflare.purge(["page:1"])
    assert f"POST {edge.url}/client/v4/zones/{ZONE}/purge_cache" in str(failed.value)
    assert_token_hidden(CF_TOKEN, caplog, str(failed.value))


def test_cloudflare_goes_through_the_environments_proxy(
    settings, cloudflare, edge, monkeypatch
):
    monkeypatch.setenv("http_proxy", edge.url)
    settings.CLOUDFLARE_API_URL = "http://api.cloudflare.invalid/client/v4"
    [purger] = configured_purgers()

    purger.purge(["page:1"])

    [request] = edge.requests
    assert request.path == (
        f"http://api.cloudflare.invalid/client/v4/zones/{ZONE}/purge_cache"
    )


# --- Fastly --------------------------------------------------------------------


def test_fastly_request(fastly, edge):
    tags = ["page:42", "sitemap"]

    fastly.purge(tags)

    [request] = edge.requests
    assert request.method == "POST"
    assert request.path == f"/service/{SERVICE}/purge"
    assert request.headers["Fastly-Key"] == FASTLY_TOKEN
    assert request.headers["Surrogate-Key"] == " ".join(edge_tags(tags))
    assert request.headers["Accept"] == "application/json"
    assert "Fastly-Soft-Purge" not in request.headers  # a hard purge


def test_fastly_sends_at_most_256_keys_a_request(fastly, edge):
    tags = our_tags(600)

    fastly.purge(tags)

    sent = [request.headers["Surrogate-Key"].split(" ") for request in edge.requests]
    assert [len(batch) for batch in sent] == [256, 256, 88]
    assert [key for batch in sent for key in batch] == edge_tags(tags)


@pytest.mark.parametrize("status", [429, 500, 503])
def test_fastly_retries_429_and_5xx_then_succeeds(fastly, edge, status):
    edge.answer(Answer(status, {"msg": "slow down"}, {"Retry-After": "0"}))

    fastly.purge(["page:1"])

    assert len(edge.requests) == 2


def test_fastly_gives_up_after_persistent_5xx(fastly, edge, waits, caplog):
    caplog.set_level(logging.DEBUG)
    edge.answer(*[Answer(500, {"msg": "internal"}, {"Retry-After": "1"})] * 3)

    with pytest.raises(EdgePurgeFailed, match="answered 500: internal") as failed:
        fastly.purge(["page:1"])

    assert len(edge.requests) == 3
    assert waits == [1.0, 1.0]
    assert_token_hidden(FASTLY_TOKEN, caplog, str(failed.value))


def test_fastly_403_fails_at_once(fastly, edge, waits, caplog):
    caplog.set_level(logging.DEBUG)
    edge.answer(
        Answer(403, {"msg": "Provided credentials are missing or invalid"}),
    )

    with pytest.raises(EdgePurgeFailed) as failed:
        fastly.purge(["page:1"])

    assert "answered 403: Provided credentials are missing" in str(failed.value)
    assert len(edge.requests) == 1
    assert waits == []
    assert_token_hidden(FASTLY_TOKEN, caplog, str(failed.value), repr(fastly))


# --- Every purger --------------------------------------------------------------


def test_no_tags_sends_nothing(settings, edge, cloudflare):
    settings.VARNISH_URLS = [edge.url]

    for purger in configured_purgers():
        purger.purge([])

    assert edge.requests == []


def test_configured_purgers_follow_settings(settings):
    settings.VARNISH_URLS = ["http://10.0.0.7:6081", "http://10.0.0.8:6081/"]
    settings.CDN = "cloudflare"
    settings.CLOUDFLARE_ZONE_ID = ZONE
    settings.CLOUDFLARE_API_TOKEN = CF_TOKEN
    assert [purger.name for purger in configured_purgers()] == [
        "varnish:http://10.0.0.7:6081",
        "varnish:http://10.0.0.8:6081",
        "cloudflare",
    ]

    settings.VARNISH_URLS = []
    settings.CDN = "fastly"
    settings.FASTLY_SERVICE_ID = SERVICE
    settings.FASTLY_API_TOKEN = FASTLY_TOKEN
    assert [purger.name for purger in configured_purgers()] == ["fastly"]

    settings.CDN = ""
    assert configured_purgers() == []


def test_purger_named_finds_the_same_target(settings, edge_servers, no_proxy_env):
    first, second, cdn = edge_servers(), edge_servers(), edge_servers()
    settings.VARNISH_URLS = [first.url, second.url]
    settings.CDN = "fastly"
    settings.FASTLY_SERVICE_ID = SERVICE
    settings.FASTLY_API_TOKEN = FASTLY_TOKEN
    settings.FASTLY_API_URL = cdn.url

    names = [purger.name for purger in configured_purgers()]
    assert [purger_named(name).name for name in names] == names

    purger_named(f"varnish:{second.url}").purge(["page:1"])
    assert (len(first.requests), len(second.requests), len(cdn.requests)) == (0, 1, 0)
    purger_named("fastly").purge(["page:1"])
    assert len(cdn.requests) == 1

    assert purger_named("cloudflare") is None
    settings.VARNISH_URLS = [first.url]  # a node removed between failure and retry
    assert purger_named(f"varnish:{second.url}") is None
