"""A private PostgreSQL and a private Redis for the benchmarks.

Each runs from a temporary directory on a port of its own (5441 and 6391), so the
benchmarks can stop, pause and restart them, or read their statistics, without
touching the servers other people use on 5432 and 6379. Both are context managers:
leaving the `with` block, however it is left (an error, Ctrl-C, or SIGTERM after
`exit_on_sigterm()`), stops the server and deletes its files.
"""

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

POSTGRES_PORT = 5441
REDIS_PORT = 6391


def exit_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit, so `with` blocks and `finally` clean up."""

    def leave(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, leave)


def ensure_port_free(port: int) -> None:
    """Refuse to start on a busy port: the probes would then talk to someone else's
    server and the benchmark would measure (or break) the wrong thing."""
    with socket.socket() as sock:
        if sock.connect_ex(("127.0.0.1", port)) == 0:
            raise SystemExit(f"127.0.0.1:{port} is already in use; stop what listens")


def wait_for(condition, timeout: float, every: float = 0.02) -> float | None:
    """The monotonic time at which a check of `condition` began that found it true,
    or None if it stayed false for `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        checked_at = time.monotonic()
        if condition():
            return checked_at
        time.sleep(every)
    return None


class PrivatePostgres:
    def __init__(self, port: int = POSTGRES_PORT):
        self.port = port
        self.workdir = Path(tempfile.mkdtemp(prefix="presswagon-pg-"))
        self.datadir = self.workdir / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def __enter__(self) -> "PrivatePostgres":
        try:
            ensure_port_free(self.port)
            if os.geteuid() == 0:
                shutil.chown(self.workdir, "postgres", "postgres")
            self._run(
                "initdb",
                "-D",
                str(self.datadir),
                "-U",
                "postgres",
                "--auth=trust",
                "--no-sync",
                "-E",
                "UTF8",
            )
            options = (
                f"-p {self.port} -c listen_addresses=127.0.0.1 "
                f"-c unix_socket_directories={self.workdir} -c fsync=off"
            )
            self._pg_ctl("start", "-o", options)
            if self.identity() is None:
                raise SystemExit(f"private PostgreSQL on {self.port} does not answer")
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        if (self.datadir / "postmaster.pid").exists():
            self._pg_ctl("stop", "-m", "immediate", check=False)
        shutil.rmtree(self.workdir, ignore_errors=True)

    def restart(self) -> None:
        """Fast shutdown (open sessions are cut) and start with the same options."""
        self._pg_ctl("restart", "-m", "fast")

    def identity(self) -> tuple[int, str] | None:
        """(postmaster pid, pg_postmaster_start_time()) of the server answering on
        our port, or None while none answers. Checks it really is ours."""
        try:
            with psycopg.connect(self.url(), connect_timeout=1) as connection:
                started, datadir = connection.execute(
                    "SELECT pg_postmaster_start_time()::text, "
                    "current_setting('data_directory')"
                ).fetchone()
            pid = int((self.datadir / "postmaster.pid").read_text().split()[0])
        except (psycopg.Error, OSError, IndexError, ValueError):
            return None
        if Path(datadir) != self.datadir:
            raise SystemExit(f"127.0.0.1:{self.port} is not our PostgreSQL: {datadir}")
        return pid, started

    def _pg_ctl(self, action: str, *args: str, check: bool = True) -> None:
        self._run(
            "pg_ctl",
            action,
            "-D",
            str(self.datadir),
            "-w",
            "-l",
            str(self.workdir / "postgresql.log"),
            *args,
            check=check,
        )

    def _run(self, tool: str, *args: str, check: bool = True) -> None:
        command = [postgres_binary(tool), *args]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(
            command,
            cwd=self.workdir,  # readable by the postgres user, unlike the checkout
            capture_output=True,
            text=True,
            start_new_session=True,  # Ctrl-C reaches us, and we stop it in order
        )
        if check and done.returncode != 0:
            raise SystemExit(f"{tool} {args[0]} failed:\n{done.stdout}{done.stderr}")


def postgres_binary(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise SystemExit(f"no /usr/lib/postgresql/*/bin/{name}: install postgresql")
    return found[-1]  # the newest installed version


class PrivateRedis:
    def __init__(self, port: int = REDIS_PORT):
        self.port = port
        self.workdir = Path(tempfile.mkdtemp(prefix="presswagon-redis-"))
        self.process: subprocess.Popen | None = None
        self.paused = False

    def url(self, database: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{database}"

    def __enter__(self) -> "PrivateRedis":
        try:
            ensure_port_free(self.port)
            self.start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C reaches us, and we stop it in order
        )
        if wait_for(lambda: redis_answer(self.port) == "pong", timeout=10) is None:
            raise SystemExit(f"private redis-server on {self.port} did not start")
        if self.command("INFO", "server").count(f"process_id:{self.process.pid}") != 1:
            raise SystemExit(f"127.0.0.1:{self.port} is not our redis-server")

    def stop(self) -> None:
        if self.process is None:
            return
        self.resume()  # a stopped process cannot act on SIGTERM
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def pause(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)
        self.paused = True

    def resume(self) -> None:
        if self.paused:
            os.kill(self.process.pid, signal.SIGCONT)
            self.paused = False

    def command(self, *words: str) -> str:
        """One command over a plain socket; the raw reply (enough for INFO)."""
        request = "".join(f"${len(word)}\r\n{word}\r\n" for word in words)
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
            sock.sendall(f"*{len(words)}\r\n{request}".encode())
            reply = b""
            while not reply or (reply.startswith(b"$") and not _complete(reply)):
                reply += sock.recv(65536)
        return reply.decode()

    def command_calls(self) -> dict[str, int]:
        """Calls per command so far (INFO commandstats), e.g. {"get": 1200}."""
        calls = {}
        for line in self.command("INFO", "commandstats").splitlines():
            if line.startswith("cmdstat_"):
                name, stats = line.removeprefix("cmdstat_").split(":", 1)
                calls[name] = int(stats.split(",")[0].removeprefix("calls="))
        return calls


def _complete(bulk_reply: bytes) -> bool:
    header, _, rest = bulk_reply.partition(b"\r\n")
    return len(rest) >= int(header[1:]) + 2


def redis_answer(port: int, timeout: float = 0.5) -> str:
    """What a fresh connection sees when it sends PING: "pong", "refused" (nothing
    listens), "timeout" (the kernel accepted but nobody answers: a paused server) or
    another error."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.sendall(b"PING\r\n")
            return "pong" if sock.recv(64).startswith(b"+PONG") else "unexpected"
    except ConnectionRefusedError:
        return "refused"
    except TimeoutError:
        return "timeout"
    except OSError as error:
        return f"error ({error})"
