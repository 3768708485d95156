"""A tiny reverse proxy, run as its own process by the live proxy tests:

    python -m cms.tests.forwarding_proxy LISTEN_PORT UPSTREAM_PORT SOURCE_ADDRESS

It listens on 127.0.0.1:LISTEN_PORT and forwards each request to
127.0.0.1:UPSTREAM_PORT over a connection made from SOURCE_ADDRESS (any 127.x.y.z
works on Linux loopback), so the server can trust the proxy's address without
trusting every loopback client. Like nginx with
`proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for` and
`proxy_set_header X-Forwarded-Proto https` (a TLS-terminating proxy), it appends
its peer's address to whatever X-Forwarded-For the client sent and states the
scheme, overwriting the client's claim.
"""

import http.client
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "content-length",
    "x-forwarded-proto",
}


class Forward(BaseHTTPRequestHandler):
    upstream_port: int
    source_address: str

    def forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = [
            (name, value)
            for name, value in self.headers.items()
            if name.lower() not in HOP_BY_HOP and name.lower() != "x-forwarded-for"
        ]
        forwarded = [*(self.headers.get_all("X-Forwarded-For") or []), self.peer()]
        headers += [
            ("X-Forwarded-For", ", ".join(forwarded)),
            ("X-Forwarded-Proto", "https"),
            ("Content-Length", str(len(body or b""))),
            ("Connection", "close"),
        ]
        upstream = http.client.HTTPConnection(
            "127.0.0.1",
            self.upstream_port,
            timeout=30,
            source_address=(self.source_address, 0),
        )
        try:
            upstream.putrequest(
                self.command, self.path, skip_host=True, skip_accept_encoding=True
            )
            for name, value in headers:
                upstream.putheader(name, value)
            upstream.endheaders(body)
            response = upstream.getresponse()
            content = response.read()
        finally:
            upstream.close()
        self.send_response(response.status, response.reason)
        for name, value in response.getheaders():
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(content)

    def peer(self) -> str:
        return self.client_address[0]

    do_GET = do_HEAD = do_POST = forward

    def log_message(self, format, *args):  # quiet: the test reads the site's log
        pass


def main() -> None:
    listen_port, upstream_port, source_address = sys.argv[1:4]
    Forward.upstream_port = int(upstream_port)
    Forward.source_address = source_address
    server = ThreadingHTTPServer(("127.0.0.1", int(listen_port)), Forward)
    server.serve_forever()


if __name__ == "__main__":
    main()
