"""A real HTTP server on loopback standing in for an edge's purge API (Varnish's
PURGE, Cloudflare's and Fastly's purge endpoints): it records every request and
answers as a test scripts it."""

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cms.tests.private_servers import free_port


@dataclass
class Answer:
    status: int = 200
    body: dict | str = field(default_factory=lambda: {"success": True, "errors": []})
    headers: dict[str, str] = field(default_factory=dict)


DROP = "drop"  # close the connection without answering


@dataclass
class Stall:
    seconds: float


@dataclass
class Recorded:
    method: str
    path: str
    headers: Message
    body: bytes

    def json(self):
        return json.loads(self.body)


class _Handler(BaseHTTPRequestHandler):
    def _any(self) -> None:
        edge = self.server.edge
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        action = edge.record(Recorded(self.command, self.path, self.headers, body))
        if action == DROP:
            self.close_connection = True
            return
        if isinstance(action, Stall):
            time.sleep(action.seconds)
            return
        payload = action.body
        data = (json.dumps(payload) if isinstance(payload, dict) else payload).encode()
        self.send_response(action.status)
        for name, value in action.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PURGE = _any

    def log_message(self, format, *args):
        pass


class EdgeServer:
    """ThreadingHTTPServer on a free loopback port. Each request takes the next
    scripted action (`answer(...)`), or 200 `{"success": true}` when none is left."""

    def __init__(self, port: int | None = None):
        self.requests: list[Recorded] = []
        self._script: deque = deque()
        self._lock = threading.Lock()
        port = port or free_port()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        self._httpd.edge = self
        # A short poll, so shutdown() returns at once rather than after 0.5 s.
        threading.Thread(
            target=self._httpd.serve_forever, args=(0.01,), daemon=True
        ).start()
        self.url = f"http://127.0.0.1:{port}"

    def answer(self, *actions) -> None:
        self._script.extend(actions)

    def record(self, request: Recorded):
        with self._lock:
            self.requests.append(request)
            return self._script.popleft() if self._script else Answer()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
