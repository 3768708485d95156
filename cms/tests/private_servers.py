"""Private PostgreSQL and Redis servers for tests that stop or restart them.

The servers at 5432/6379 are shared by everyone's runs: a test that needs a server to
go away starts its own, on a free port in a temporary directory, and always removes
it. PostgreSQL refuses to run as root, so as root its binaries run as `postgres`.
"""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

# Ports other runs on this machine use for their own servers (benchmarks).
RESERVED_PORTS = {*range(8760, 8780), 5441, 6391}


def free_port() -> int:
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in RESERVED_PORTS:
            return port


def wait_for(condition, seconds: float = 10.0, every: float = 0.02) -> bool:
    """Poll `condition` until it is true or `seconds` have passed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return bool(condition())


# --- PostgreSQL -----------------------------------------------------------------


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL's bin directory, or None."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
        key=lambda p: int(Path(p).parts[-3]),
    )
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path else None


class PrivatePostgres:
    def __init__(self, bin_dir: Path, data_dir: Path, port: int):
        self.bin_dir = bin_dir
        self.data_dir = data_dir
        self.port = port

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str, timeout: float = 60) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=timeout)

    def pg_ctl(self, action: str, *options: str) -> None:
        self._run(
            "pg_ctl",
            action,
            "-D",
            str(self.data_dir / "data"),
            "-l",
            str(self.data_dir / "server.log"),
            "-w",
            *options,
        )

    def restart(self) -> None:
        """Fast shutdown (every session is terminated, as on a real restart), then
        start again; returns once the server accepts connections."""
        self.pg_ctl("restart", "-m", "fast")


@contextmanager
def private_postgres():
    bin_dir = postgres_bin()
    if bin_dir is None:
        raise RuntimeError("no PostgreSQL binaries")
    # Not under pytest's tmp_path: that is private to root, and the server runs as
    # the postgres user.
    base = Path(tempfile.mkdtemp(prefix="presswagon-pg-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    port = free_port()
    server = PrivatePostgres(bin_dir, base, port)
    server._run(
        "initdb",
        "-D",
        str(base / "data"),
        "-U",
        "postgres",
        "--auth=trust",
        "--no-sync",
        "-E",
        "UTF8",
    )
    server.pg_ctl(
        "start",
        "-o",
        f"-c listen_addresses=127.0.0.1 -c port={port} "
        f"-c unix_socket_directories={base} -c fsync=off",
    )
    try:
        yield server
    finally:
        try:
            server.pg_ctl("stop", "-m", "immediate")
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(base, ignore_errors=True)


# --- Redis ------------------------------------------------------------------------


class PrivateRedis:
    def __init__(self, port: int):
        self.port = port
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not wait_for(self.answers, seconds=10):
            raise RuntimeError("private redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@contextmanager
def private_redis():
    if shutil.which("redis-server") is None:
        raise RuntimeError("no redis-server")
    server = PrivateRedis(free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()
