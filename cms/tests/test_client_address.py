"""The client address behind trusted proxies: parsing, and what it drives (rate
limits, view dedupe, the request log, the scheme). The same rules through a real
proxy process in front of gunicorn: cms/tests/test_trusted_proxies_live.py."""

import logging
import os
import subprocess
import sys

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory

from articles.factories import ArticlePageFactory
from cms.client_address import client_address, resolve, trusted_networks
from cms.middleware.forwarded_headers import ForwardedHeadersMiddleware
from cms.tests.live_site import ROOT
from engagement import view_counts
from engagement.models import DailyPageViews

PROXIES = trusted_networks(("10.0.0.0/8", "192.0.2.1", "2001:db8:cafe::/48"))


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "client"),
    [
        # Untrusted peer: its header is the client's own claim, ignored.
        ("203.0.113.7", "198.51.100.1", "203.0.113.7"),
        ("203.0.113.7", "", "203.0.113.7"),
        # A trusted proxy without a header: the proxy is all we know.
        ("192.0.2.1", "", "192.0.2.1"),
        # One trusted proxy: the entry it appended.
        ("192.0.2.1", "203.0.113.7", "203.0.113.7"),
        ("192.0.2.1", " 203.0.113.7 ", "203.0.113.7"),
        # A forged left part is skipped: right-most untrusted entry wins.
        ("192.0.2.1", "198.51.100.1, 203.0.113.7", "203.0.113.7"),
        ("192.0.2.1", "127.0.0.1,203.0.113.7", "203.0.113.7"),
        # A chain of trusted proxies (CIDR): walk past each of them.
        ("10.1.2.3", "198.51.100.1, 203.0.113.7, 10.9.9.9, 192.0.2.1", "203.0.113.7"),
        # Every hop trusted: the left-most is the furthest we can see.
        ("10.1.2.3", "10.0.0.5, 10.0.0.6", "10.0.0.5"),
        # Junk ends the walk at the last trusted hop.
        ("192.0.2.1", "203.0.113.7, unknown", "192.0.2.1"),
        ("192.0.2.1", "203.0.113.7, ", "192.0.2.1"),
        ("10.1.2.3", "junk, 10.0.0.5", "10.0.0.5"),
        ("192.0.2.1", "300.1.1.1", "192.0.2.1"),
        ("192.0.2.1", "<script>", "192.0.2.1"),
        ("192.0.2.1", ",,,", "192.0.2.1"),
        # Ports, as some proxies write them.
        ("192.0.2.1", "203.0.113.7:52311", "203.0.113.7"),
        ("192.0.2.1", "[2001:db8::7]:443", "2001:db8::7"),
        # IPv6 peers, proxies and clients.
        ("2001:db8:cafe::1", "2a00:1450:4001::1", "2a00:1450:4001::1"),
        ("2001:db8:cafe::1", "2A00:1450:4001:0:0:0:0:1", "2a00:1450:4001::1"),
        ("2001:db8:beef::1", "2a00:1450:4001::1", "2001:db8:beef::1"),
        ("192.0.2.1", "2a00:1450:4001::1, 2001:db8:cafe::9", "2a00:1450:4001::1"),
        # An IPv4 peer on a dual-stack socket is the same IPv4 reader.
        ("::ffff:192.0.2.1", "203.0.113.7", "203.0.113.7"),
        ("::ffff:203.0.113.7", "198.51.100.1", "203.0.113.7"),
        # No peer address (a UNIX socket): nothing to trust.
        ("", "203.0.113.7", "unknown"),
    ],
)
def test_client_is_the_right_most_address_that_is_not_a_trusted_proxy(
    peer, forwarded_for, client
):
    assert resolve(peer, forwarded_for, PROXIES) == client


def test_with_no_trusted_proxies_the_header_is_never_read():
    assert resolve("127.0.0.1", "203.0.113.7", trusted_networks(())) == "127.0.0.1"


def test_a_long_header_of_junk_does_not_crash():
    assert resolve("192.0.2.1", "x," * 4000 + "203.0.113.7", PROXIES) == "203.0.113.7"


def test_worked_out_once_per_request(settings):
    settings.TRUSTED_PROXIES = ["192.0.2.1"]
    request = RequestFactory().get(
        "/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert client_address(request) == "203.0.113.7"
    request.META["HTTP_X_FORWARDED_FOR"] = "198.51.100.1"
    assert client_address(request) == "203.0.113.7"


@pytest.mark.parametrize("entry", ["10.0.0.1/24", "10.0.0.300", "proxy.internal"])
def test_a_bad_trusted_proxies_entry_stops_start_up(entry):
    env = {**os.environ, "TRUSTED_PROXIES": f"10.0.0.1,{entry}"}
    done = subprocess.run(
        [sys.executable, "-c", "import cms.settings.base"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "ImproperlyConfigured: TRUSTED_PROXIES" in done.stderr


# --- The scheme follows the same rule -----------------------------------------------


def scheme_seen(settings, peer: str) -> str:
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = ["192.0.2.1"]
    request = RequestFactory().get(
        "/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_PROTO="https"
    )
    middleware = ForwardedHeadersMiddleware(lambda r: HttpResponse(r.scheme))
    return middleware(request).content.decode()


def test_a_trusted_proxy_may_say_the_request_was_https(settings):
    assert scheme_seen(settings, "192.0.2.1") == "https"


def test_anyone_else_claiming_https_is_not_believed(settings):
    assert scheme_seen(settings, "203.0.113.7") == "http"


# --- What the address drives --------------------------------------------------------


@pytest.fixture
def article(article_index):
    return ArticlePageFactory(parent=article_index)


@pytest.mark.django_db
def test_readers_behind_one_proxy_have_their_own_comment_limits(article, settings):
    settings.TRUSTED_PROXIES = ["192.0.2.1"]
    settings.COMMENT_RATE_LIMIT = "1/600"
    url = f"/reader/pages/{article.pk}/comments/"
    body = {"name": "Ada", "email": "ada@example.com", "body": "Hello there."}

    def comment(forwarded_for: str, peer: str = "192.0.2.1") -> int:
        return (
            Client()
            .post(
                url,
                body,
                REMOTE_ADDR=peer,
                HTTP_X_FORWARDED_FOR=forwarded_for,
                HTTP_ACCEPT="application/json",
            )
            .status_code
        )

    assert comment("203.0.113.7") == 201
    assert comment("203.0.113.7") == 429
    assert comment("198.51.100.1, 203.0.113.7") == 429  # forged left part: same
    assert comment("203.0.113.8") == 201  # the next reader is not limited
    # Straight to the server, a forged header is no way out either.
    assert comment("198.51.100.2", peer="203.0.113.8") == 429


@pytest.mark.django_db
def test_readers_behind_one_proxy_each_count_a_view(article, settings):
    settings.TRUSTED_PROXIES = ["192.0.2.1"]
    view_counts.get_buffer().drain()
    for reader in ("203.0.113.7", "203.0.113.7", "203.0.113.8"):
        Client().post(
            f"/reader/pages/{article.pk}/view/",
            REMOTE_ADDR="192.0.2.1",
            HTTP_X_FORWARDED_FOR=reader,
            HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
        )
    view_counts.flush()
    stored = DailyPageViews.objects.filter(page=article).values_list("views", flat=True)
    assert sum(stored) == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("peer", "forwarded_for", "logged"),
    [
        ("192.0.2.1", "203.0.113.7", "203.0.113.0/24"),
        ("203.0.113.99", "198.51.100.1", "203.0.113.0/24"),
        ("192.0.2.1", "2a00:1450:4001:81c::200e", "2a00:1450:4001::/48"),
    ],
)
def test_the_request_log_records_the_readers_network_only(
    client, home_page, settings, caplog, peer, forwarded_for, logged
):
    settings.TRUSTED_PROXIES = ["192.0.2.1"]
    caplog.set_level(logging.INFO, logger="cms.requests")
    client.get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded_for)
    (record,) = [r for r in caplog.records if r.name == "cms.requests"]
    assert record.client == logged
    assert record.getMessage() == f"GET / 200 {logged}"
    # No full address appears: not the reader's, not the proxy's.
    for address in (peer, *forwarded_for.split(",")):
        assert address.strip() not in record.getMessage()
