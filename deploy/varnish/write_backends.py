"""Write backends.vcl for deploy/varnish/presswagon.vcl: one backend per app node,
each probed on /healthz, all in the round-robin director `app`.

    python deploy/varnish/write_backends.py --output backends.vcl \\
        10.0.0.7:8000 10.0.0.8:8000

The probe sends the Host header the site accepts (ALLOWED_HOSTS): --host-header,
else SITE_URL's host when that variable is set, else the first node's host.
Standard library only, so it runs before any virtualenv exists.
"""

import argparse
import os
import sys
from urllib.parse import urlsplit

PROBE = """\
probe presswagon_healthz {{
    .request =
        "GET /healthz HTTP/1.1"
        "Host: {host}"
        "User-Agent: Varnish health probe"
        "Connection: close";
    .expected_response = 200;
    .timeout = 2s;
    .interval = 5s;
    .window = 5;
    .threshold = 3;
}}
"""

BACKEND = """\
backend {name} {{
    .host = "{host}";
    .port = "{port}";
    .probe = presswagon_healthz;
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
    .between_bytes_timeout = 30s;
}}
"""


def parse_node(node: str) -> tuple[str, int]:
    """`host:port` or `[v6 address]:port` -> (host, port)."""
    host, sep, port = node.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise ValueError(f"app node {node!r}: expected host:port")
    return host.strip("[]"), int(port)


def backends_vcl(nodes: list[tuple[str, int]], host_header: str) -> str:
    if not nodes:
        raise ValueError("at least one app node")
    for text in (host_header, *(host for host, _ in nodes)):
        if any(char in text for char in '"\r\n{}'):
            raise ValueError(f"not a host name: {text!r}")
    names = [f"app{number}" for number in range(1, len(nodes) + 1)]
    backends = "\n".join(
        BACKEND.format(name=name, host=host, port=port)
        for name, (host, port) in zip(names, nodes, strict=True)
    )
    additions = "".join(f"    app.add_backend({name});\n" for name in names)
    return (
        "# Written by deploy/varnish/write_backends.py; included by presswagon.vcl.\n"
        f"\n{PROBE.format(host=host_header)}\n{backends}\n"
        "sub presswagon_backends_init {\n"
        "    new app = directors.round_robin();\n"
        f"{additions}"
        "}\n"
    )


def default_host_header(nodes: list[tuple[str, int]]) -> str:
    site_url = os.environ.get("SITE_URL", "")
    return urlsplit(site_url).netloc if site_url else nodes[0][0]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("nodes", nargs="+", metavar="HOST:PORT")
    parser.add_argument("--output", "-o", help="file to write (default: stdout)")
    parser.add_argument("--host-header", help="Host header the health probe sends")
    args = parser.parse_args(argv)
    try:
        nodes = [parse_node(node) for node in args.nodes]
        vcl = backends_vcl(nodes, args.host_header or default_host_header(nodes))
    except ValueError as error:
        parser.error(str(error))
    if args.output:
        with open(args.output, "w") as output:
            output.write(vcl)
    else:
        sys.stdout.write(vcl)


if __name__ == "__main__":
    main()
