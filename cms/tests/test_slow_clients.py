"""Serving that survives slow clients, measured on a real gunicorn in production
settings: three connections trickle a byte a second (two of them a request's
headers, one a POST body) while a normal reader asks for the home page.

With deploy/gunicorn.conf.py (threaded workers) the reader is answered at once. The
control runs the settings `make serve` used before (three sync workers), where the
three trickles hold all three workers and the reader waits for as long as they
last (the trickles stop when the reader gives up, so it costs seconds, not 30).
"""

import socket
import threading
import time
import urllib.request

import pytest

from bench.harness import gunicorn
from cms.tests.live_site import free_port, prepared_site

READER_PATIENCE = 4.0  # seconds the reader waits for the page


@pytest.fixture(scope="module")
def site_env(tmp_path_factory):
    env, _ = prepared_site(tmp_path_factory.mktemp("slow"), "presswagon_slow", "")
    return env


class Trickle(threading.Thread):
    """One slow client: sends `head` at once, then `tail` a byte a second."""

    def __init__(self, port: int, head: bytes, tail: bytes):
        super().__init__(daemon=True)
        self.port, self.head, self.tail = port, head, tail
        self.stop = threading.Event()
        self.connected = threading.Event()

    def run(self):
        with socket.create_connection(("127.0.0.1", self.port)) as sock:
            sock.sendall(self.head)
            self.connected.set()
            for byte in self.tail:
                if self.stop.wait(1.0):
                    return
                sock.sendall(bytes([byte]))


def slow_clients(port: int) -> list[Trickle]:
    headers = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
    body = b"name=Slow&email=slow%40example.com&body=" + b"x" * 60
    # With a CSRF cookie, so the CSRF check reads the body (the form's token)
    # instead of refusing before it.
    post = (
        b"POST /reader/pages/1/comments/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Cookie: csrftoken=" + b"c" * 32 + b"\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: %d\r\n\r\n" % len(body)
    )
    return [
        Trickle(port, headers, b"a" * 60),
        Trickle(port, headers, b"b" * 60),
        Trickle(port, post, body),
    ]


def reader_seconds(port: int) -> float:
    """How long a normal reader waits for the home page (READER_PATIENCE at most)."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(  # noqa: S310 - loopback
            f"http://127.0.0.1:{port}/", timeout=READER_PATIENCE
        ) as response:
            assert response.status == 200
            response.read()
    except TimeoutError:
        pass
    return time.perf_counter() - started


def with_three_slow_clients(env, workers, options) -> float:
    port = free_port()
    with gunicorn(env, port, workers=workers, options=options):
        reader_seconds(port)  # the first render, so only waiting is measured
        trickles = slow_clients(port)
        for trickle in trickles:
            trickle.start()
            assert trickle.connected.wait(5)
        time.sleep(1.5)  # each is in a worker's hands, mid-request
        try:
            return reader_seconds(port)
        finally:
            # Closed before gunicorn stops, so no worker waits on them.
            for trickle in trickles:
                trickle.stop.set()
                trickle.join()


def test_a_reader_is_answered_while_three_clients_trickle_bytes(
    site_env, record_property
):
    # The settings file's own choice of workers, as `make serve` runs it (one
    # process without Redis).
    seconds = with_three_slow_clients(site_env, workers=None, options=())
    record_property("reader_seconds_with_slow_clients", round(seconds, 3))
    print(f"deploy/gunicorn.conf.py: reader answered in {seconds:.3f} s")
    assert seconds < 2.0


def test_control_the_old_sync_workers_stall_behind_three_slow_clients(
    site_env, record_property
):
    # `make serve` before: gunicorn --workers 3 (sync). One thread, or gunicorn
    # would quietly run gthread workers instead.
    seconds = with_three_slow_clients(
        site_env, workers=3, options=("--worker-class", "sync", "--threads", "1")
    )
    record_property("reader_seconds_with_slow_clients_sync", round(seconds, 3))
    print(f"old sync workers: reader waited {seconds:.3f} s (gave up at 4 s)")
    assert seconds >= READER_PATIENCE - 0.1
