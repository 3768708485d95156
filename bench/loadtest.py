"""Load and fault test: gunicorn (3 workers) on PostgreSQL + Redis under a mixed load,
with faults injected at fixed moments. Loopback only, bounded in time.

    python bench/loadtest.py [--threads 12]        (make loadtest)

Needs PostgreSQL and Redis on 127.0.0.1 (pg_ctlcluster and redis-server on PATH, as
root: it stops, pauses and restarts them) -- run it on a development machine, never
against shared services. It works in a database of its own, presswagon_load,
dropped and recreated on the server of DATABASE_URL (default: local PostgreSQL);
REDIS_URL defaults to redis://127.0.0.1:6379/13.

Timeline (seconds): warm-up 0-8; Redis stopped 10-18; Redis paused (SIGSTOP) 24-30;
PostgreSQL restarted at 36; one gunicorn worker killed at 47.5; end at 60.
The load: cached pages (home, index, articles), uncached renders (archives with a
bypass parameter) and health checks, from --threads client threads with keep-alive.
Comments are not built yet (see the open issues), so "acknowledged vs stored" is n/a.
"""

import argparse
import http.client
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (  # noqa: E402
    fresh_postgres_url,
    prepare_site,
    server_environment,
    start_gunicorn,
)

PORT = 8766
PG_VERSION = (
    sorted(os.listdir("/etc/postgresql"))[0]
    if os.path.isdir("/etc/postgresql")
    else "15"
)
REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
]


@dataclass
class Sample:
    started: float
    latency_ms: float
    status: int  # 0: connection error or timeout
    path: str = ""


def environment(workdir: Path) -> dict[str, str]:
    server = os.environ.get("DATABASE_URL", "postgres://postgres:postgres@127.0.0.1/x")
    database = fresh_postgres_url(server, "presswagon_load")
    redis = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/13")
    return server_environment(workdir, database, redis)


def load(paths: list[str], stop: threading.Event, samples: list[Sample]) -> None:
    rng = random.Random()  # noqa: S311 - load mix, not security
    connection = None
    while not stop.is_set():
        path = rng.choice(paths)
        started = time.monotonic()
        try:
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            status = response.status
        except Exception:
            status = 0
            if connection is not None:
                connection.close()
            connection = None
        samples.append(
            Sample(started, (time.monotonic() - started) * 1000, status, path)
        )


def run(command: list[str]) -> None:
    subprocess.run(command, check=False, capture_output=True)


def redis_pid() -> int | None:
    out = subprocess.run(
        ["pgrep", "-f", "redis-server.*6379"], capture_output=True, text=True
    ).stdout.split()
    return int(out[0]) if out else None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=12)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="presswagon-load-"))
    env = environment(workdir)
    article_urls = prepare_site(env, 60)
    cached = ["/", "/articles/", "/articles/?page=2", *article_urls[:20]]
    uncached = [f"/articles/tag/topic-{n}/?nocache=1" for n in range(8)]
    paths = cached * 6 + uncached * 2 + ["/healthz", "/readyz"]

    server = start_gunicorn(env, PORT)
    time.sleep(3)
    stop = threading.Event()
    samples: list[Sample] = []
    t0 = time.monotonic()
    threads = [
        threading.Thread(target=load, args=(paths, stop, samples), daemon=True)
        for _ in range(args.threads)
    ]
    for thread in threads:
        thread.start()

    def at(second: float) -> None:
        time.sleep(max(0.0, t0 + second - time.monotonic()))

    windows = {}
    try:
        at(10)
        run(["redis-cli", "-h", "127.0.0.1", "shutdown", "nosave"])
        at(18)
        run(REDIS_START)
        windows["Redis stopped 10-18 s"] = (10, 18)
        at(24)
        pid = redis_pid()
        if pid:
            os.kill(pid, signal.SIGSTOP)
        at(30)
        if pid:
            os.kill(pid, signal.SIGCONT)
        windows["Redis paused 24-30 s"] = (24, 30)
        at(36)
        restart_started = time.monotonic() - t0
        run(
            [
                "pg_ctlcluster",
                "--skip-systemctl-redirect",
                PG_VERSION,
                "main",
                "restart",
            ]
        )
        windows["PostgreSQL restart"] = (restart_started, time.monotonic() - t0)
        at(47.5)
        workers = subprocess.run(
            ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
        ).stdout.split()
        if workers:
            os.kill(int(workers[0]), signal.SIGKILL)
        windows["one worker killed at 47.5 s"] = (47.0, 48.5)
        at(60)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=15)
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        if not redis_pid():
            run(REDIS_START)

    report(samples, t0, windows)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return (
        ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else 0
    )


def report(samples: list[Sample], t0: float, windows: dict) -> None:
    total = time.monotonic() - t0
    statuses: dict[int, int] = {}
    for sample in samples:
        statuses[sample.status] = statuses.get(sample.status, 0) + 1
    latencies = [s.latency_ms for s in samples]
    rate = len(samples) / total
    print(f"\nrequests: {len(samples)} in {total:.0f} s = {rate:.0f} req/s")
    print("status counts:", dict(sorted(statuses.items())), "(0 = connection error)")
    print(
        f"latency p50 {percentile(latencies, 0.5):.1f} ms, "
        f"p99 {percentile(latencies, 0.99):.1f} ms"
    )
    print(
        f"\n{'fault window':<28} {'requests':>8} {'errors':>7} {'p50 ms':>8} "
        f"{'p99 ms':>8} {'recovery s':>10}"
    )
    for name, (start, end) in windows.items():
        in_window = [s for s in samples if start <= s.started - t0 <= end + 5]
        errors = [s for s in in_window if s.status == 0 or s.status >= 500]
        recovery = max((s.started - t0 - end for s in errors), default=0.0)
        window_latency = [s.latency_ms for s in in_window]
        print(
            f"{name:<28} {len(in_window):>8} {len(errors):>7} "
            f"{percentile(window_latency, 0.5):>8.1f} "
            f"{percentile(window_latency, 0.99):>8.1f} {max(recovery, 0):>10.1f}"
        )
    failures = [s for s in samples if s.status == 0 or s.status >= 500]
    for sample in failures[:10]:
        print(f"  error at {sample.started - t0:5.1f} s: {sample.status} {sample.path}")
    print("comments acknowledged vs stored: n/a (comments are not built yet)")
    median = statistics.median(latencies) if latencies else 0
    print(f"(overall median {median:.1f} ms)")


if __name__ == "__main__":
    main()
