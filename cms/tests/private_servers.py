"""Private PostgreSQL and Redis servers for tests that stop or restart them, and a
private S3 server (SeaweedFS) for the media storage tests.

The servers at 5432/6379 are shared by everyone's runs: a test that needs a server to
go away starts its own, in a temporary directory, and always removes it. They are
the benchmarks' private servers (bench/services.py), on a free port each.
"""

import glob
import os
import socket
from contextlib import contextmanager

import pytest

from bench.services import (
    PrivatePostgres,
    PrivateRedis,
    PrivateSeaweedFS,
    postgres_binary,
    varnish_binary,
)
from bench.services import wait_for as wait_until

__all__ = [
    "free_port",
    "postgres_binary",
    "postgres_installed",
    "private_postgres",
    "private_redis",
    "private_seaweedfs",
    "require_varnishd",
    "wait_for",
]

# Ports the benchmarks use for their own servers, on the same machine.
RESERVED_PORTS = {*range(8760, 8780), 5441, 6391, 8371}


def free_port() -> int:
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in RESERVED_PORTS:
            return port


def wait_for(condition, seconds: float = 10.0, every: float = 0.02) -> bool:
    """Poll `condition` until it is true or `seconds` have passed."""
    return wait_until(condition, seconds, every) is not None


def postgres_installed() -> bool:
    return bool(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))


@contextmanager
def private_postgres():
    with PrivatePostgres(port=free_port()) as server:
        yield server


@contextmanager
def private_redis():
    with PrivateRedis(port=free_port()) as server:
        yield server


@contextmanager
def private_seaweedfs():
    with PrivateSeaweedFS(port=free_port()) as server:
        yield server


def require_varnishd() -> None:
    """Called at a test module's top: without varnishd and the xkey vmod
    (apt-get install varnish varnish-modules) the module is skipped; under CI=true
    it fails instead, since a skip there would hide that the VCL went untested."""
    try:
        varnish_binary()
    except SystemExit as error:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"{error} (.ci/run installs it)", pytrace=False)
        pytest.skip(str(error), allow_module_level=True)
