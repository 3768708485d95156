"""Edge benchmark: two app nodes behind one Varnish, as production runs them, and
what a publish does to what readers see. Exits 1 when a target is missed or a run
did not see what it set out to cause (a publish that never reached a reader).

    python bench/edge.py [--quick] [--no-edge-purge]

It starts its own PostgreSQL (127.0.0.1:5442) and Redis (127.0.0.1:6392), two
gunicorn nodes (3 workers each, on free ports; each with its db_worker, as `make
serve` runs them) and one Varnish (deploy/varnish/presswagon.vcl, free port) in
front of both, and removes them all at exit, also on an error, Ctrl-C or SIGTERM.
Production settings: VARNISH_URLS and SITE_URL are the Varnish, TRUSTED_PROXIES is
127.0.0.1, purges are tasks on the database queue. The site is seeded with
ARTICLES articles. Publishes come from one long-lived Django process with the same
environment (`page.save_revision().publish()`, each a new title); a publish's
moment is its commit (an on_commit callback registered before Wagtail's).

1. Requests/s (wrk -t2 -c16, Accept-Encoding: gzip as browsers send; best of two
   runs, since other work on the shared cores only ever lowers a run) of one
   article: an edge hit (through Varnish), a page-cache hit (straight to node A:
   its in-process copy) and an uncached render (node A, with a query parameter
   outside PAGE_CACHE_QUERY_PARAMS, which bypasses the page cache). A wrk script
   counts X-Edge-Cache and X-Wagtail-Cache: each run must be what it is named.
   Target: edge hit >= 10x the page-cache hit.
2. Publish-to-purged latency at the edge: publishes of one article, each timed
   from its commit to the first GET through Varnish (polled every 10 ms, one
   keep-alive connection) showing its title. Target: p99 < 1 s.
3. Stale reads: a publish every 2 s, alternating between two articles, while
   reader threads (keep-alive) read both articles continuously through Varnish,
   straight from node A and straight from node B. A publish's purge is complete
   when the first read through Varnish showing its title (or a later one) ends; a
   stale read started after that and showed an older title. Every publish must be
   seen through each of the three paths (otherwise "0 stale" would say nothing).
   Target: 0 stale reads on each path.
4. Renders per purge: after a publish's purge has completed (its task finished in
   the queue), 100 threads, connected beforehand and released together, request
   the article once each straight from node A; renders are the responses not
   marked X-Wagtail-Cache: hit. Then the same through Varnish, which coalesces
   concurrent misses: its backend fetches (varnishstat MAIN.backend_req) and the
   node renders behind them (distinct X-Request-ID of the responses Varnish
   fetched for the burst, X-Edge-Cache: MISS, not marked hit). Before each
   publish every earlier purge, the edge repurge EDGE_REPURGE_DELAY later
   included, has finished, so no other purge overlaps a burst. Every response
   must show the new title, and every purge must cause at least one render.
   Target: 1 render per purge on average, through either door.

--quick shortens every part, for development. --no-edge-purge publishes from a
process without VARNISH_URLS, so its purges never reach Varnish: a deliberate
defect, to show the run fails when publishes do not reach readers (exit 1).
Server logs: presswagon-edge-node-{A,B}.log in the temporary directory.
"""

import argparse
import http.client
import json
import math
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import ROOT, fresh_postgres_url, gunicorn, prepare_site, server_environment
from page_cache import Target
from services import (
    PrivatePostgres,
    PrivateRedis,
    PrivateVarnish,
    _free_port,
    exit_on_sigterm,
    wait_for,
)

POSTGRES_PORT = 5442  # page_cache.py and loadtest.py use 5441 and 6391
REDIS_PORT = 6392
ARTICLES = 200
POLL_SECONDS = 0.01
SEEN_TIMEOUT = 5.0  # a publish not shown at the edge by then counts as never shown
LOG_DIR = Path(tempfile.gettempdir())


@dataclass
class Plan:
    wrk_seconds: int
    wrk_runs: int
    publishes: int
    stale_seconds: float
    purges: int


FULL = Plan(wrk_seconds=8, wrk_runs=2, publishes=100, stale_seconds=60, purges=10)
QUICK = Plan(wrk_seconds=3, wrk_runs=1, publishes=20, stale_seconds=16, purges=3)


# --- HTTP ---------------------------------------------------------------------------

H1 = re.compile(rb'<h1 id="article-title">([^<]*)</h1>')


def title_version(body: bytes, page_id: int) -> int:
    """Which of our titles the article page shows: the publish number, -1 for the
    seeded title, -2 when it shows no article title at all."""
    found = H1.search(body)
    if found is None:
        return -2
    ours = re.search(rb"EB%d-v(\d+)-" % page_id, found.group(1))
    return int(ours.group(1)) if ours else -1


@dataclass
class Read:
    status: int  # 0: no answer (connection error, timeout)
    headers: dict
    body: bytes
    start: float
    end: float


class Client:
    """One keep-alive connection to 127.0.0.1:`port`, opened again after an
    error."""

    def __init__(self, port: int, timeout: float = 10):
        self.port = port
        self.timeout = timeout
        self.connection = None

    def connect(self) -> None:
        self.connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=self.timeout
        )
        self.connection.connect()

    def get(self, path: str) -> Read:
        start = time.monotonic()
        try:
            if self.connection is None:
                self.connect()
            self.connection.request("GET", path)
            response = self.connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            return Read(0, {}, b"", start, time.monotonic())
        headers = {name.lower(): value for name, value in response.getheaders()}
        if response.will_close:
            self.close()
        return Read(response.status, headers, body, start, time.monotonic())

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


# --- the publisher ------------------------------------------------------------------

PUBLISHER = r"""
import json, sys, time, django
django.setup()
from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from articles.models import ArticlePage

PURGES = DBTaskResult.objects.filter(task_path__endswith=".purge_cache_tags")
UNFINISHED = [TaskResultStatus.READY, TaskResultStatus.RUNNING]

def ids():
    return {page.url: page.pk for page in ArticlePage.objects.live()}

def publish(page_id, title):
    page = ArticlePage.objects.get(pk=page_id)
    page.title = title
    committed = []
    enqueued_after = timezone.now().isoformat()
    with transaction.atomic():
        # Registered first, so called first: the moment of the commit.
        transaction.on_commit(lambda: committed.append(time.monotonic()))
        page.save_revision().publish()
    return {"committed": committed[0], "since": enqueued_after}

def wait_idle(seconds):
    # Every purge task has finished, the delayed edge repurges included; and none
    # left a target failed.
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not PURGES.filter(status__in=UNFINISHED).exists():
            failed = [
                r.return_value for r in PURGES.exclude(return_value=[])
            ]
            return {"idle": True, "failed": failed}
        time.sleep(0.02)
    return {"idle": False, "failed": []}

def wait_purged(since, seconds):
    # The publish's purge task (and any other enqueued since) has run, at the
    # store and every edge; not the repurge scheduled for later.
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        mine = PURGES.filter(enqueued_at__gte=since)
        done = mine.filter(status=TaskResultStatus.SUCCESSFUL)
        due = mine.filter(status=TaskResultStatus.RUNNING) | mine.ready()
        if done.exists() and not due.exists():
            return {"purged": time.monotonic()}
        time.sleep(0.005)
    return {"purged": None}

for line in sys.stdin:
    call = json.loads(line)
    result = globals()[call.pop("op")](**call)
    print("@@" + json.dumps(result), flush=True)
"""


class Publisher:
    """The long-lived Django process that publishes; calls answer in order."""

    def __init__(self, env: dict):
        self.process = subprocess.Popen(
            [sys.executable, "-c", PUBLISHER],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
            start_new_session=True,
        )
        self.replies: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            if line.startswith("@@"):
                self.replies.put(json.loads(line[2:]))
        self.replies.put(None)  # it exited

    def call(self, op: str, timeout: float = 30, **kwargs):
        self.process.stdin.write(json.dumps({"op": op, **kwargs}) + "\n")
        self.process.stdin.flush()
        try:
            reply = self.replies.get(timeout=timeout)
        except queue.Empty:
            raise SystemExit(
                f"the publisher did not answer {op} in {timeout} s"
            ) from None
        if reply is None:
            raise SystemExit(f"the publisher exited during {op}")
        return reply

    def publish(self, page_id: int, version: int) -> dict:
        title = f"Edge bench EB{page_id}-v{version}-{uuid.uuid4().hex[:6]}"
        return self.call("publish", page_id=page_id, title=title)

    def close(self) -> None:
        try:
            self.process.stdin.close()
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()


# --- 1. throughput ------------------------------------------------------------------

WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  counts = {}
  wrk.headers["Accept-Encoding"] = "gzip"
end
function response(status, headers, body)
  for _, name in ipairs({"X-Edge-Cache", "X-Wagtail-Cache"}) do
    local key = name .. "=" .. (headers[name] or "none")
    counts[key] = (counts[key] or 0) + 1
  end
end
function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for _, key in ipairs({"X-Edge-Cache=HIT", "X-Edge-Cache=MISS",
        "X-Edge-Cache=PASS", "X-Edge-Cache=none", "X-Wagtail-Cache=hit",
        "X-Wagtail-Cache=miss", "X-Wagtail-Cache=skip", "X-Wagtail-Cache=err",
        "X-Wagtail-Cache=none"}) do
      local n = thread:get("counts")[key]
      if n then totals[key] = (totals[key] or 0) + n end
    end
  end
  for key, n in pairs(totals) do io.write(string.format("count %s %d\\n", key, n)) end
end
"""


@dataclass
class WrkRun:
    rate: float
    requests: int
    counts: Counter


def wrk(port: int, path: str, seconds: int, counting: bool) -> WrkRun:
    """One wrk run; `counting`: with the script that counts the cache headers."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT)
        script.flush()
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                "-c16",
                f"-d{seconds}s",
                "--timeout",
                "5s",
                *(["-s", script.name] if counting else ["-H", "Accept-Encoding: gzip"]),
                f"http://127.0.0.1:{port}{path}",
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 30,
        ).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        raise SystemExit(f"{path}: {non_2xx.group(1)} error responses\n{out}")
    return WrkRun(
        rate=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        requests=int(re.search(r"(\d+) requests in", out).group(1)),
        counts=Counter({k: int(n) for k, n in re.findall(r"count (\S+) (\d+)", out)}),
    )


def varnish_counters(varnish: PrivateVarnish) -> Counter:
    """Varnish's MAIN counters so far (varnishstat)."""
    time.sleep(0.3)  # worker threads add their counts to the totals when idle
    out = subprocess.run(
        ["varnishstat", "-n", str(varnish.workdir), "-1", "-j", "-f", "MAIN.*"],
        capture_output=True,
        text=True,
        check=True,
        timeout=10,
    ).stdout
    data = json.loads(out)
    counters = data.get("counters", data)  # Varnish >= 6.5 nests them
    return Counter(
        {
            name.removeprefix("MAIN."): int(counter["value"])
            for name, counter in counters.items()
            if isinstance(counter, dict) and "value" in counter
        }
    )


def throughput(ports, varnish, path: str, plan: Plan) -> tuple[dict, list[str]]:
    """Requests/s by name, and what was not as named.

    The edge run is checked by Varnish's own counters, not by wrk's Lua hook:
    calling Lua for every response costs wrk more than a hit costs Varnish, so
    with the hook the run measured wrk (about 10,000 requests/s here, on cores
    shared with Varnish). The node runs, a thousand times slower per request, are
    counted by the hook."""
    runs_for = {
        "edge hit (Varnish)": (ports["varnish"], path, None),
        "page-cache hit (node A)": (ports["A"], path, "X-Wagtail-Cache=hit"),
        "uncached render (node A, ?nocache=1)": (
            ports["A"],
            f"{path}?nocache=1",
            "X-Wagtail-Cache=skip",
        ),
    }
    rates, problems = {}, []
    for name, (port, target, expected) in runs_for.items():
        for _ in range(3):  # into the edge and the page cache, in every worker
            Client(port).get(target)
        before = varnish_counters(varnish)
        runs = [
            wrk(port, target, plan.wrk_seconds, counting=expected is not None)
            for _ in range(plan.wrk_runs)
        ]
        edge = varnish_counters(varnish)
        edge.subtract(before)
        best = max(runs, key=lambda run: run.rate)
        requests = sum(run.requests for run in runs)
        counts = sum((run.counts for run in runs), Counter())
        if expected is None:
            counts = Counter(
                {
                    "Varnish hits": edge["cache_hit"],
                    "backend fetches": edge["backend_req"],
                }
            )
        rates[name] = best.rate
        print(
            f"  {name:<38} {best.rate:>9.0f} req/s  (runs: "
            f"{', '.join(f'{run.rate:.0f}' for run in runs)}; {requests} requests; "
            f"{dict(counts)})",
            flush=True,
        )
        if expected is None and (
            edge["cache_hit"] < requests or edge["backend_req"] > 0
        ):
            problems.append(
                f"{name}: {edge['cache_hit']} Varnish hits and {edge['backend_req']} "
                f"backend fetches for {requests} requests: not all were edge hits"
            )
        if expected is not None and counts[expected] < requests:
            problems.append(
                f"{name}: only {counts[expected]} of {requests} responses were "
                f"{expected}: {dict(counts)}"
            )
    return rates, problems


# --- 2. publish-to-purged latency ---------------------------------------------------


def wait_edge_holds(edge: Client, path: str, page_id: int, version: int) -> None:
    """Until the edge answers `path` from its copy, showing `version`."""

    def held() -> bool:
        read = edge.get(path)
        return (
            read.headers.get("x-edge-cache") == "HIT"
            and title_version(read.body, page_id) == version
        )

    wait_for(held, timeout=SEEN_TIMEOUT, every=POLL_SECONDS)


def publish_latency(publisher, ports, path, page_id, plan) -> tuple[list, list]:
    """Seconds from each commit to the edge showing the new title (inf: never),
    and what was not as it should be."""
    edge = Client(ports["varnish"])
    latencies, first_views, problems = [], Counter(), []
    for version in range(plan.publishes):
        wait_edge_holds(edge, path, page_id, version - 1)
        committed = publisher.publish(page_id, version)["committed"]
        seen = None
        next_poll = time.monotonic()
        while time.monotonic() < committed + SEEN_TIMEOUT:
            read = edge.get(path)
            if read.status == 200 and title_version(read.body, page_id) >= version:
                seen = read
                break
            next_poll += POLL_SECONDS
            time.sleep(max(0.0, next_poll - time.monotonic()))
        if seen is None:
            latencies.append(math.inf)
            problems.append(f"publish {version} not shown at the edge within 5 s")
            if latencies[-3:] == [math.inf] * 3:
                problems.append("three publishes in a row never shown: stopped")
                break
            continue
        latencies.append(seen.end - committed)
        first_views[seen.headers.get("x-edge-cache", "none")] += 1
    edge.close()
    shown = [s for s in latencies if s != math.inf]
    if shown:
        print(
            f"  {len(latencies)} publishes: p50 {percentile(shown, 0.5) * 1000:.0f} "
            f"ms, p99 {percentile(latencies, 0.99) * 1000:.0f} ms, max "
            f"{max(latencies) * 1000:.0f} ms (first read showing the new title: "
            f"X-Edge-Cache {dict(first_views)})",
            flush=True,
        )
    return latencies, problems


def percentile(values: list[float], fraction: float) -> float:
    """Nearest rank: p99 of 100 values is the 99th smallest."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * fraction) - 1)]


# --- 3. stale reads -----------------------------------------------------------------

PATHS = ("Varnish", "node A", "node B")


@dataclass
class Seen:
    path: str
    page_id: int
    version: int  # -2: not an article page at all (an error)
    start: float
    end: float
    cache: str  # X-Edge-Cache / X-Wagtail-Cache of the response


def reader(port, path_name, url, page_id, stop, reads: list) -> None:
    client = Client(port)
    while not stop.is_set():
        read = client.get(url)
        version = title_version(read.body, page_id) if read.status == 200 else -2
        cache = (
            f"{read.headers.get('x-edge-cache', '-')}/"
            f"{read.headers.get('x-wagtail-cache', '-')}"
        )
        reads.append(Seen(path_name, page_id, version, read.start, read.end, cache))
        if read.status != 200:
            time.sleep(0.05)
    client.close()


def stale_reads(publisher, ports, articles, plan) -> tuple[dict, list, list[str]]:
    """Stale reads by path, commit-to-edge seconds of each publish, problems."""
    stop = threading.Event()
    reads: list[Seen] = []
    threads = [
        threading.Thread(
            target=reader,
            args=(ports[port], name, url, page_id, stop, reads),
            daemon=True,
        )
        for name, port in zip(PATHS, ("varnish", "A", "B"), strict=True)
        for url, page_id in articles
    ]
    for thread in threads:
        thread.start()
    publishes = []  # (page id, version, commit moment)
    versions = Counter()
    started = time.monotonic()
    try:
        for slot in range(int(plan.stale_seconds // 2)):
            time.sleep(max(0.0, started + 1 + 2 * slot - time.monotonic()))
            page_id = articles[slot % len(articles)][1]
            reply = publisher.publish(page_id, versions[page_id])
            publishes.append((page_id, versions[page_id], reply["committed"]))
            versions[page_id] += 1
        time.sleep(2)  # the last publish reaches every reader
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=15)
    return analyse_stale(reads, publishes)


def analyse_stale(reads: list[Seen], publishes: list) -> tuple[dict, list, list]:
    problems = []
    by_key = defaultdict(list)  # (path, page id) -> reads in start order
    for read in sorted(reads, key=lambda r: r.start):
        by_key[read.path, read.page_id].append(read)
    errors = Counter(read.path for read in reads if read.version == -2)
    for path, n in errors.items():
        problems.append(f"{path}: {n} reads failed or showed no article")

    def first_showing(path, page_id, version, after) -> float | None:
        for read in by_key[path, page_id]:
            if read.start >= after and read.version >= version:
                return read.end
        return None

    purged_at = {}  # (page id, version) -> when the edge first showed it
    latencies = []
    for page_id, version, committed in publishes:
        for path in PATHS:
            shown = first_showing(path, page_id, version, committed)
            if shown is None:
                problems.append(
                    f"publish {version} of page {page_id} never seen through {path}"
                )
            elif path == "Varnish":
                purged_at[page_id, version] = shown
                latencies.append(shown - committed)
    stale = {path: [] for path in PATHS}
    for (path, page_id), page_reads in by_key.items():
        moments = sorted(
            (moment, version)
            for (pid, version), moment in purged_at.items()
            if pid == page_id
        )
        for read in page_reads:
            # The newest publish whose purge had completed when this read began.
            due = [version for moment, version in moments if moment < read.start]
            if due and read.version != -2 and read.version < max(due):
                stale[path].append((read, max(due), purged_at[page_id, max(due)]))
    counts = Counter(read.path for read in reads)
    for path in PATHS:
        print(
            f"  {path:<8} {counts[path]:>7} reads, {len(stale[path])} stale",
            flush=True,
        )
        for read, due, moment in stale[path][:5]:
            print(
                f"    stale: page {read.page_id} showed v{read.version} "
                f"({read.cache}) in a read begun {(read.start - moment) * 1000:.1f} "
                f"ms after v{due} was shown at the edge",
                flush=True,
            )
    if latencies:
        print(
            f"  {len(publishes)} publishes, commit to edge: p50 "
            f"{percentile(latencies, 0.5) * 1000:.0f} ms, max "
            f"{max(latencies) * 1000:.0f} ms",
            flush=True,
        )
    if not publishes:
        problems.append("no publish was made")
    return {path: len(found) for path, found in stale.items()}, latencies, problems


# --- 4. renders per purge -----------------------------------------------------------

BURST = 100


def burst(port: int, path: str) -> list[Read]:
    """BURST requests for `path` at once, each on a connection opened beforehand."""
    clients = [Client(port) for _ in range(BURST)]
    for client in clients:
        client.connect()
    release = threading.Barrier(BURST)
    reads: list[Read | None] = [None] * BURST

    def one(n: int) -> None:
        release.wait(timeout=30)
        reads[n] = clients[n].get(path)
        clients[n].close()

    threads = [
        threading.Thread(target=one, args=(n,), daemon=True) for n in range(BURST)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return [read or Read(0, {}, b"", 0, 0) for read in reads]


def renders_seen(reads: list[Read]) -> str:
    """When each render's response (not a hit) began and ended, and the last hit,
    in ms from the moment the burst was released: to tell a waiter that gave up
    (PAGE_CACHE_FILL_WAIT) from two renders claimed one after the other."""
    released = min(read.start for read in reads)
    spans = [
        f"{read.headers.get('x-wagtail-cache')} {(read.start - released) * 1000:.0f}"
        f"-{(read.end - released) * 1000:.0f} ms"
        for read in sorted(reads, key=lambda read: read.end)
        if read.headers.get("x-wagtail-cache") != "hit"
    ]
    first_hit = min(
        (r.end for r in reads if r.headers.get("x-wagtail-cache") == "hit"),
        default=released,
    )
    return (
        f"{', '.join(spans)}; first hit ended at {(first_hit - released) * 1000:.0f} ms"
    )


def renders_per_purge(publisher, ports, varnish, path, page_id, plan):
    """Renders per purge straight from node A; node renders and backend fetches
    per purge through Varnish; problems."""
    node = Client(ports["A"])
    direct, behind_edge, fetches, problems = [], [], [], []
    for version in range(plan.purges):
        idle = publisher.call("wait_idle", seconds=30, timeout=40)
        if not idle["idle"]:
            problems.append("purges were still queued 30 s after the last publish")
        if idle["failed"]:
            problems.append(f"purge tasks left targets failed: {idle['failed']}")
        wait_for(
            lambda: node.get(path).headers.get("x-wagtail-cache") == "hit",
            timeout=SEEN_TIMEOUT,
        )
        since = publisher.publish(page_id, version)["since"]
        if publisher.call("wait_purged", since=since, seconds=10)["purged"] is None:
            problems.append(f"the purge of publish {version} did not run within 10 s")
            continue
        reads = burst(ports["A"], path)
        statuses = Counter(r.headers.get("x-wagtail-cache", "none") for r in reads)
        direct.append(BURST - statuses["hit"])
        before = varnish_counters(varnish)["backend_req"]
        edge_reads = burst(ports["varnish"], path)
        fetches.append(varnish_counters(varnish)["backend_req"] - before)
        behind_edge.append(
            len(
                {
                    r.headers.get("x-request-id")
                    for r in edge_reads
                    # Fetched for this burst (a HIT may carry an older fetch's
                    # headers) and rendered by the node for it.
                    if r.headers.get("x-edge-cache") == "MISS"
                    and r.headers.get("x-wagtail-cache") != "hit"
                }
            )
        )
        edge_statuses = Counter(
            r.headers.get("x-edge-cache", "none") for r in edge_reads
        )
        for door, door_reads in (("node A", reads), ("Varnish", edge_reads)):
            old = sum(
                1 for r in door_reads if title_version(r.body, page_id) != version
            )
            if old:
                problems.append(
                    f"publish {version}: {old} of {BURST} responses {door} gave after "
                    "its purge did not show its title"
                )
        if direct[-1] > 1:
            print(
                f"  purge {version}: {direct[-1]} renders at node A: "
                + renders_seen(reads)
            )
        print(
            f"  purge {version}: node A {dict(statuses)}; Varnish "
            f"{dict(edge_statuses)}, {fetches[-1]} backend fetches, "
            f"{behind_edge[-1]} node renders",
            flush=True,
        )
    node.close()
    for door, renders in (("node A", direct), ("Varnish", behind_edge)):
        if renders and min(renders) < 1:
            problems.append(f"a purge caused no render via {door}: not purged?")
    if len(direct) < plan.purges:
        problems.append(f"only {len(direct)} of {plan.purges} purges measured")
    return direct, behind_edge, fetches, problems


# --- the run ------------------------------------------------------------------------


def wait_for_edge(port: int, path: str) -> None:
    """Varnish sends requests on once a health probe found the nodes up."""
    client = Client(port)
    if wait_for(lambda: client.get(path).status == 200, timeout=30, every=0.2) is None:
        raise SystemExit(f"Varnish on {port} did not serve {path} within 30 s")
    client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a shorter run")
    parser.add_argument(
        "--no-edge-purge",
        action="store_true",
        help="publish without VARNISH_URLS: the run must fail",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    plan = QUICK if args.quick else FULL
    exit_on_sigterm()
    began = time.monotonic()
    with ExitStack() as stack:
        workdir = Path(tempfile.mkdtemp(prefix="presswagon-edge-"))
        stack.callback(shutil.rmtree, workdir, ignore_errors=True)
        postgres = stack.enter_context(PrivatePostgres(POSTGRES_PORT))
        redis = stack.enter_context(PrivateRedis(REDIS_PORT))
        node_a = _free_port()
        node_b = next(p for p in iter(_free_port, None) if p != node_a)
        varnish = PrivateVarnish([("127.0.0.1", node_a), ("127.0.0.1", node_b)])
        ports = {"A": node_a, "B": node_b, "varnish": varnish.port}
        env = server_environment(
            workdir, fresh_postgres_url(postgres.url(), "presswagon_edge"), redis.url()
        )
        env.update(
            SITE_URL=varnish.url,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            TRUSTED_PROXIES="127.0.0.1",
            VARNISH_URLS=varnish.url,
        )
        article_count = 100 if args.quick else ARTICLES
        # Seeding publishes every article: purged there and then, rather than left
        # queued for the nodes' workers to retry against a Varnish not yet started.
        paths = prepare_site(
            {**env, "TASK_QUEUE": "immediate", "VARNISH_URLS": ""}, article_count
        )
        for name, port in (("A", node_a), ("B", node_b)):
            log = LOG_DIR / f"presswagon-edge-node-{name}.log"
            stack.enter_context(gunicorn(env, port, log=log))
        stack.enter_context(varnish)
        publisher = Publisher(
            {**env, "VARNISH_URLS": ""} if args.no_edge_purge else env
        )
        stack.callback(publisher.close)
        ids = publisher.call("ids")
        print(
            f"PostgreSQL {postgres.url()}, Redis {redis.url()}, nodes A :{node_a} "
            f"B :{node_b}, Varnish {varnish.url}; {len(paths)} articles"
            + ("; publishing WITHOUT edge purges" if args.no_edge_purge else ""),
            flush=True,
        )
        wait_for_edge(varnish.port, paths[0])

        print("\n1. requests/s of one article (wrk -t2 -c16)", flush=True)
        rates, problems = throughput(ports, varnish, paths[len(paths) // 2], plan)

        print(f"\n2. publish to purged at the edge ({plan.publishes} publishes)")
        latencies, found = publish_latency(
            publisher, ports, paths[10], ids[paths[10]], plan
        )
        problems += found

        print(
            f"\n3. stale reads: a publish every 2 s for {plan.stale_seconds:.0f} s, "
            "two articles, readers through Varnish, node A and node B",
            flush=True,
        )
        articles = [(path, ids[path]) for path in (paths[20], paths[30])]
        stale, _, found = stale_reads(publisher, ports, articles, plan)
        problems += found

        print(f"\n4. renders per purge, {BURST} readers at once", flush=True)
        direct, behind_edge, fetches, found = renders_per_purge(
            publisher, ports, varnish, paths[40], ids[paths[40]], plan
        )
        problems += found

    targets = report(rates, latencies, stale, direct, behind_edge, fetches)
    problems += [f"target missed: {t.name}" for t in targets if not t.met]
    print(f"\nrun time {time.monotonic() - began:.0f} s")
    if problems:
        print("\nVERDICT: FAIL")
        for problem in problems:
            print(f"  - {problem}")
        raise SystemExit(1)
    print(f"\nVERDICT: PASS - {len(targets)} targets met, every publish was seen")


def report(rates, latencies, stale, direct, behind_edge, fetches) -> list[Target]:
    edge, django, uncached = rates.values()
    print(
        f"\nrequests/s: edge hit {edge:.0f}, page-cache hit {django:.0f}, "
        f"uncached {uncached:.0f}"
    )
    if direct:
        print(
            f"renders per purge: node A mean {statistics.mean(direct):.2f} max "
            f"{max(direct)}; through Varnish: node renders mean "
            f"{statistics.mean(behind_edge):.2f} max {max(behind_edge)}, backend "
            f"fetches mean {statistics.mean(fetches):.2f} max {max(fetches)}.\n"
            "  (No other purge overlaps a burst here, so exactly one render per "
            "purge is expected: the mean must be <= 1,\n  and each purge caused >= 1 "
            "or the run fails.)"
        )
    targets = [
        Target("edge hit / page-cache hit", edge / django, 10, True),
        Target("publish to edge, p99", percentile(latencies, 0.99), 1.0, False, " s")
        if latencies
        else Target("publish to edge, p99", math.inf, 1.0, False, " s"),
        *(
            Target(f"stale reads after purge, {path}", stale[path], 0, False, "")
            for path in PATHS
        ),
        Target(
            "renders per purge, node A (mean)",
            statistics.mean(direct) if direct else math.inf,
            1,
            False,
            "",
        ),
        Target(
            "node renders per purge via Varnish",
            statistics.mean(behind_edge) if behind_edge else math.inf,
            1,
            False,
            "",
        ),
    ]
    print()
    for target in targets:
        print(target.line())
    return targets


if __name__ == "__main__":
    main()
