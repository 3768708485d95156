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
bypass parameter), searches, health checks, view beacons and comments, from
--threads client threads with keep-alive. Each comment carries a submission key and
is retried with the same key (up to 3 times) when the answer is lost or an error, as
a careful client would; at the end the stored comments are compared with the
acknowledged (201) ones: none may be missing, none stored twice.
"""

import argparse
import http.client
import itertools
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

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


@dataclass
class Comments:
    """What the clients sent and what the server acknowledged."""

    sent: set = field(default_factory=set)
    acknowledged: set = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    numbers: itertools.count = field(default_factory=itertools.count)


BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120 Safari/537.36 loadtest"
# Any 32 letters pass Django's CSRF check when cookie and header agree.
CSRF_TOKEN = "loadtestloadtestloadtestloadtest"  # noqa: S105 - not a secret
COMMENT_SHARE, BEACON_SHARE = 0.02, 0.05


def environment(workdir: Path) -> dict[str, str]:
    server = os.environ.get("DATABASE_URL", "postgres://postgres:postgres@127.0.0.1/x")
    database = fresh_postgres_url(server, "presswagon_load")
    redis = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/13")
    env = server_environment(workdir, database, redis)
    # Every client is 127.0.0.1: lift the per-address limits for the test.
    env.update(COMMENT_RATE_LIMIT="100000/60", VIEW_BEACON_RATE_LIMIT="100000/60")
    return env


class Client:
    def __init__(self):
        self.connection = None

    def request(self, method: str, path: str, body=None, headers=None) -> int:
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    "127.0.0.1", PORT, timeout=10
                )
            self.connection.request(method, path, body=body, headers=headers or {})
            response = self.connection.getresponse()
            response.read()
            return response.status
        except Exception:
            if self.connection is not None:
                self.connection.close()
            self.connection = None
            return 0


def send_comment(client: Client, article_id: int, comments: Comments, sample) -> None:
    with comments.lock:
        body = f"Load comment {next(comments.numbers)}"
        comments.sent.add(body)
    fields = urlencode(
        {
            "name": "Load",
            "email": "load@example.com",
            "body": body,
            "submission_key": str(uuid.uuid4()),
        }
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/json",
        "Cookie": f"csrftoken={CSRF_TOKEN}",
        "X-CSRFToken": CSRF_TOKEN,
    }
    path = f"/reader/articles/{article_id}/comments/"
    for _ in range(3):  # the same submission key each time
        started = time.monotonic()
        status = client.request("POST", path, fields, headers)
        sample(started, status, path)
        if status == 201:
            with comments.lock:
                comments.acknowledged.add(body)
            return
        time.sleep(0.5)


def load(
    paths: list[str],
    article_ids: list[int],
    stop: threading.Event,
    samples: list[Sample],
    comments: Comments,
) -> None:
    rng = random.Random()  # noqa: S311 - load mix, not security
    client = Client()

    def sample(started: float, status: int, path: str) -> None:
        samples.append(
            Sample(started, (time.monotonic() - started) * 1000, status, path)
        )

    while not stop.is_set():
        roll = rng.random()
        if roll < COMMENT_SHARE:
            send_comment(client, rng.choice(article_ids), comments, sample)
            continue
        started = time.monotonic()
        if roll < COMMENT_SHARE + BEACON_SHARE:
            path = f"/reader/articles/{rng.choice(article_ids)}/view/"
            # A distinct browser each time: a distinct reader, so each view counts.
            agent = f"{BROWSER} reader-{rng.getrandbits(48)}"
            status = client.request("POST", path, headers={"User-Agent": agent})
        else:
            path = rng.choice(paths)
            status = client.request("GET", path)
        sample(started, status, path)


STORED_COMMENTS = """
import json, django; django.setup()
from articles.models import ArticlePage, ArticleViews, Comment
from articles.view_counts import flush
from django.db.models import Sum
flush()  # what the scheduler would do next
print(json.dumps({
    "comments": list(Comment.objects.values_list("body", flat=True)),
    "views": ArticleViews.objects.aggregate(total=Sum("views"))["total"] or 0,
    "article_ids": list(ArticlePage.objects.values_list("pk", flat=True)),
}))
"""


def database_state(env: dict) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", STORED_COMMENTS],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)


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
    searches = [f"/search/?q={q}" for q in ("article", "number+7", "topic", "zzz")]
    paths = cached * 6 + uncached * 2 + searches * 2 + ["/healthz", "/readyz"]

    article_ids = database_state(env)["article_ids"]

    server = start_gunicorn(env, PORT)
    time.sleep(3)
    stop = threading.Event()
    samples: list[Sample] = []
    comments = Comments()
    t0 = time.monotonic()
    threads = [
        threading.Thread(
            target=load,
            args=(paths, article_ids, stop, samples, comments),
            daemon=True,
        )
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
    report_comments(comments, database_state(env))


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
        # From a second before (a request in flight when the fault hits) to 5 after.
        in_window = [s for s in samples if start - 1 <= s.started - t0 <= end + 5]
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
    median = statistics.median(latencies) if latencies else 0
    print(f"(overall median {median:.1f} ms)")
    beacons = [s for s in samples if s.path.endswith("/view/")]
    print(
        f"view beacons: {len(beacons)} sent, "
        f"{sum(s.status == 204 for s in beacons)} answered 204"
    )


def report_comments(comments: Comments, state: dict) -> None:
    stored = state["comments"]
    unique = set(stored)
    lost = comments.acknowledged - unique
    print(
        f"comments: {len(comments.sent)} sent, {len(comments.acknowledged)} "
        f"acknowledged (201), {len(stored)} stored; acknowledged but lost: "
        f"{len(lost)}; stored twice: {len(stored) - len(unique)}; stored but never "
        f"acknowledged: {len(unique - comments.acknowledged)}"
    )
    print(
        f"views stored after a final flush: {state['views']} (each beacon is a new "
        "reader; views beaconed while Redis was stopped or paused are not counted)"
    )


if __name__ == "__main__":
    main()
