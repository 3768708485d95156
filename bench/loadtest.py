"""Load and fault test: gunicorn (3 workers) on a private PostgreSQL and a private
Redis under a mixed load, with faults injected into those private servers only.
Loopback only, bounded in time (about 90 s with set-up).

    python bench/loadtest.py [--threads 12] [--skip-fault NAME ...]   (make loadtest)

It starts its own PostgreSQL (initdb in a temporary directory, 127.0.0.1:5441, as the
postgres OS user when run as root) and its own redis-server (127.0.0.1:6391, no
persistence), runs gunicorn on 127.0.0.1:8766, and removes all three at exit, also
on an error, Ctrl-C or SIGTERM. The servers on 5432 and 6379 are never touched.

Timeline (planned seconds): warm-up 0-8; Redis stopped 10-18; Redis paused (SIGSTOP)
24-30; PostgreSQL restarted at 36; one gunicorn worker SIGKILLed at 47.5; end at 60.
Each fault is checked from what is seen, not assumed from the schedule:

  redis-stop        a fresh connection to the private Redis is refused, until restarted
  redis-pause       a PING times out, until SIGCONT
  postgres-restart  the postmaster pid and pg_postmaster_start_time() both change
  worker-kill       the killed pid is gone and gunicorn started a replacement (the
                    set of worker pids changed, the count did not)

and each fault window in the report runs from when the fault was seen to begin to when
it was seen to end.

The load: cached pages (home, index, articles), uncached renders (archives with a
bypass parameter), searches, health checks, view beacons and comments, from --threads
client threads. Each comment carries a submission key and is retried with the same
key (up to 3 times) when the answer is lost or an error, as a careful client would.

Verdict: the figures, then one line; exit status 1 with the reasons when
  - a fault was not seen to happen (or Redis answered during its outage);
  - an acknowledged (201) comment is missing from the database or stored twice;
  - any request failed (a 5xx or a connection error), except those in flight on the
    killed worker: started before it was seen gone and failed with a connection error
    between the kill and KILL_GRACE seconds after the worker was seen gone.

--skip-fault NAME (repeatable; the names above) leaves that fault out but still
checks for it: it proves the check catches a fault that did not happen (exit 1).
"""

import argparse
import http.client
import itertools
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from django.db.models import Sum

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (
    fresh_postgres_url,
    gunicorn,
    prepare_site,
    server_environment,
)
from services import (
    PrivatePostgres,
    PrivateRedis,
    exit_on_sigterm,
    redis_answer,
    wait_for,
)

BENCH_DIR = Path(__file__).resolve().parent
PORT = 8766
FAULTS = ("redis-stop", "redis-pause", "postgres-restart", "worker-kill")
# A request on the killed worker fails the moment the kernel resets its socket; a
# second covers a loaded machine noticing it.
KILL_GRACE = 1.0
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120 Safari/537.36 loadtest"
# Any 32 letters pass Django's CSRF check when cookie and header agree.
CSRF_TOKEN = "loadtestloadtestloadtestloadtest"  # noqa: S105 - not a secret
COMMENT_SHARE, BEACON_SHARE = 0.02, 0.05


# --- what the app stores ------------------------------------------------------------


def engagement_models():
    """The app code the test reads, kept together. Imported here, not at the top,
    because Django must be set up first, in the child process of `database_state`."""
    from articles.models import ArticlePage
    from engagement.models import Comment, DailyPageViews
    from engagement.view_counts import flush

    return ArticlePage, DailyPageViews, Comment, flush


def print_database_state() -> None:
    """Run by `database_state` in a child process with the server's environment."""
    import django

    django.setup()
    ArticlePage, DailyPageViews, Comment, flush = engagement_models()
    flush()  # what the scheduler would do next
    state = {
        "comments": list(Comment.objects.values_list("body", flat=True)),
        "views": DailyPageViews.objects.aggregate(total=Sum("views"))["total"] or 0,
        "article_ids": list(ArticlePage.objects.values_list("pk", flat=True)),
    }
    print(json.dumps(state))


def database_state(env: dict) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", "import loadtest; loadtest.print_database_state()"],
        cwd=BENCH_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)


# --- the load -----------------------------------------------------------------------


@dataclass
class Sample:
    started: float
    ended: float
    status: int  # 0: connection error or timeout
    path: str
    error: str = ""  # the exception's name when status is 0

    @property
    def failed(self) -> bool:
        return self.status == 0 or self.status >= 500

    @property
    def latency_ms(self) -> float:
        return (self.ended - self.started) * 1000


@dataclass
class Comments:
    """What the clients sent and what the server acknowledged."""

    sent: set = field(default_factory=set)
    acknowledged: dict = field(default_factory=dict)  # body: when the 201 came
    lock: threading.Lock = field(default_factory=threading.Lock)
    numbers: itertools.count = field(default_factory=itertools.count)


class Client:
    def __init__(self, samples: list[Sample]):
        self.samples = samples
        self.connection = None

    def request(self, method: str, path: str, body=None, headers=None) -> int:
        started, status, error = time.monotonic(), 0, ""
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    "127.0.0.1", PORT, timeout=10
                )
            self.connection.request(method, path, body=body, headers=headers or {})
            response = self.connection.getresponse()
            response.read()
            status = response.status
        except Exception as exception:
            error = type(exception).__name__
            if self.connection is not None:
                self.connection.close()
            self.connection = None
        self.samples.append(Sample(started, time.monotonic(), status, path, error))
        return status


def send_comment(client: Client, article_id: int, comments: Comments) -> None:
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
    path = f"/reader/pages/{article_id}/comments/"
    for _ in range(3):  # the same submission key each time
        if client.request("POST", path, fields, headers) == 201:
            with comments.lock:
                comments.acknowledged[body] = time.monotonic()
            return
        time.sleep(0.5)


def load(
    paths: list[str],
    article_ids: list[int],
    stop: threading.Event,
    samples: list[Sample],
    comments: Comments,
) -> None:
    rng = random.Random()  # load mix, not security
    client = Client(samples)
    while not stop.is_set():
        roll = rng.random()
        if roll < COMMENT_SHARE:
            send_comment(client, rng.choice(article_ids), comments)
        elif roll < COMMENT_SHARE + BEACON_SHARE:
            # A distinct browser each time: a distinct reader, so each view counts.
            agent = f"{BROWSER} reader-{rng.getrandbits(48)}"
            path = f"/reader/pages/{rng.choice(article_ids)}/view/"
            client.request("POST", path, headers={"User-Agent": agent})
        else:
            client.request("GET", rng.choice(paths))


# --- faults, as seen from outside ---------------------------------------------------


@dataclass
class Observed:
    """One fault: when it was injected, and when it was seen to begin and end
    (monotonic seconds; None: not injected, or never seen)."""

    name: str
    injected_at: float | None = None
    began: float | None = None
    ended: float | None = None
    problems: list[str] = field(default_factory=list)


def sleep_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.monotonic()))


def redis_outage(
    name: str,
    redis: PrivateRedis,
    begin: Callable[[], None],
    end: Callable[[], None],
    answer_during: str,
    until: float,
    inject: bool,
) -> Observed:
    """Stop or pause Redis until `until`; a fresh connection must see `answer_during`
    ("refused" or "timeout") through the window and "pong" after it."""
    fault = Observed(name)
    if inject:
        fault.injected_at = time.monotonic()
        begin()
    fault.began = wait_for(lambda: redis_answer(redis.port) == answer_during, 3)
    if fault.began is None:
        fault.problems.append(
            f"{fault.name} did not happen: a fresh connection to 127.0.0.1:"
            f"{redis.port} never saw {answer_during!r} (it answered "
            f"{redis_answer(redis.port)!r})"
        )
    while fault.began is not None and time.monotonic() < until:
        answer = redis_answer(redis.port)
        if answer != answer_during:
            fault.problems.append(f"{fault.name}: Redis answered {answer!r} meanwhile")
            break
        time.sleep(0.25)
    sleep_until(until)
    if inject:
        end()
    back = wait_for(lambda: redis_answer(redis.port) == "pong", 10)
    if back is None:
        fault.problems.append(f"Redis did not answer PING again after {fault.name}")
    elif fault.began is not None:
        fault.ended = back
    return fault


def postgres_restart(postgres: PrivatePostgres, inject: bool) -> Observed:
    """Restart PostgreSQL; it must come back as a new postmaster (pid and start
    time both changed)."""
    fault = Observed("PostgreSQL restarted")
    before = postgres.identity()
    restarting = threading.Thread(target=postgres.restart)
    if inject:
        fault.injected_at = time.monotonic()
        restarting.start()
    # The first check that no longer finds the old postmaster answering.
    fault.began = wait_for(lambda: postgres.identity() != before, 10)
    if fault.began is None or before is None:
        fault.problems.append(
            f"PostgreSQL restart did not happen: the same postmaster (pid, start "
            f"time) {before} answered throughout"
        )
        fault.began = None
        return fault
    fault.ended = wait_for(lambda: postgres.identity() not in (None, before), 15)
    after = postgres.identity()
    if after is None or after[0] == before[0] or after[1] == before[1]:
        fault.problems.append(
            f"PostgreSQL restart incomplete: postmaster (pid, start time) {before} "
            f"before, {after} after; both must change"
        )
    restarting.join()
    return fault


def worker_pids(master_pid: int) -> set[int]:
    """Live (not zombie) children of the gunicorn master: its workers."""
    pids = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # "pid (command) state ppid ..."; the command may hold spaces.
            state, ppid = stat.read_text().rsplit(")", 1)[1].split()[:2]
        except (OSError, IndexError):
            continue  # the process ended while we looked
        if int(ppid) == master_pid and state != "Z":
            pids.add(int(stat.parent.name))
    return pids


def worker_kill(master_pid: int, inject: bool) -> Observed:
    """SIGKILL one worker; its pid must go and gunicorn must replace it."""
    fault = Observed("one worker killed")
    before = worker_pids(master_pid)
    victim = min(before)
    if inject:
        fault.injected_at = time.monotonic()
        os.kill(victim, signal.SIGKILL)
    fault.began = wait_for(lambda: victim not in worker_pids(master_pid), 5)
    if fault.began is None:
        fault.problems.append(f"worker kill did not happen: pid {victim} still runs")
        return fault

    def replaced() -> bool:
        now = worker_pids(master_pid)
        return len(now) == len(before) and victim not in now and now != before

    fault.ended = wait_for(replaced, 30)
    if fault.ended is None:
        fault.problems.append(
            f"gunicorn did not replace killed worker {victim}: workers were "
            f"{sorted(before)}, now {sorted(worker_pids(master_pid))}"
        )
    return fault


def inject_faults(
    t0: float,
    redis: PrivateRedis,
    postgres: PrivatePostgres,
    master_pid: int,
    skip: set[str],
) -> dict[str, Observed]:
    """The timeline; each fault keyed by its --skip-fault name."""
    faults = {}
    sleep_until(t0 + 10)
    faults["redis-stop"] = redis_outage(
        "Redis stopped",
        redis,
        redis.stop,
        redis.start,
        "refused",
        until=t0 + 18,
        inject="redis-stop" not in skip,
    )
    sleep_until(t0 + 24)
    faults["redis-pause"] = redis_outage(
        "Redis paused",
        redis,
        redis.pause,
        redis.resume,
        "timeout",
        until=t0 + 30,
        inject="redis-pause" not in skip,
    )
    sleep_until(t0 + 36)
    faults["postgres-restart"] = postgres_restart(
        postgres, inject="postgres-restart" not in skip
    )
    sleep_until(t0 + 47.5)
    faults["worker-kill"] = worker_kill(master_pid, inject="worker-kill" not in skip)
    sleep_until(t0 + 60)
    return faults


def in_flight_on_killed_worker(sample: Sample, kill: Observed) -> bool:
    """A request the kill cut: begun before the worker was seen gone, ended by a
    connection error between the kill and shortly after."""
    if kill.injected_at is None or kill.began is None:
        return False
    return (
        sample.status == 0
        and sample.started < kill.began
        and kill.injected_at <= sample.ended <= kill.began + KILL_GRACE
    )


# --- the run ------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=12)
    parser.add_argument(
        "--skip-fault",
        action="append",
        choices=FAULTS,
        default=[],
        help="do not inject this fault (its check still runs, and must fail)",
    )
    args = parser.parse_args()
    exit_on_sigterm()

    with ExitStack() as stack:
        postgres = stack.enter_context(PrivatePostgres())
        redis = stack.enter_context(PrivateRedis())
        workdir = postgres.workdir  # removed with the private PostgreSQL
        env = server_environment(
            workdir, fresh_postgres_url(postgres.url(), "presswagon_load"), redis.url()
        )
        # Every client is 127.0.0.1: lift the per-address limits for the test.
        env.update(COMMENT_RATE_LIMIT="100000/60", VIEW_BEACON_RATE_LIMIT="100000/60")
        print(f"private PostgreSQL {postgres.url()}, Redis {redis.url()}", flush=True)
        article_urls = prepare_site(env, 60)
        article_ids = database_state(env)["article_ids"]
        # Faults make the server log warnings and tracebacks by design: keep them
        # out of the report, in a file that outlives the run.
        server_log = Path(tempfile.gettempdir()) / "presswagon-loadtest-server.log"
        print(f"server log: {server_log}", flush=True)
        server = stack.enter_context(gunicorn(env, PORT, log=server_log))

        samples, comments, faults, t0 = run_load(
            article_urls, article_ids, redis, postgres, server.pid, args
        )
        report(samples, t0, faults)
        stored = database_state(env)
        report_comments(comments, stored)
    problems = verdict_problems(samples, t0, faults, comments, stored)
    if problems:
        print("\nVERDICT: FAIL")
        for problem in problems:
            print(f"  - {problem}")
        raise SystemExit(1)
    print(
        f"\nVERDICT: PASS - all {len(faults)} faults seen to happen, no failed "
        "request outside the killed worker, every acknowledged comment stored once"
    )


def run_load(article_urls, article_ids, redis, postgres, master_pid, args):
    cached = ["/", "/articles/", "/articles/?page=2", *article_urls[:20]]
    uncached = [f"/articles/tag/topic-{n}/?nocache=1" for n in range(8)]
    searches = [f"/search/?q={q}" for q in ("article", "number+7", "topic", "zzz")]
    paths = cached * 6 + uncached * 2 + searches * 2 + ["/healthz", "/readyz"]

    stop = threading.Event()
    samples: list[Sample] = []
    comments = Comments()
    threads = [
        threading.Thread(
            target=load,
            args=(paths, article_ids, stop, samples, comments),
            daemon=True,
        )
        for _ in range(args.threads)
    ]
    t0 = time.monotonic()
    for thread in threads:
        thread.start()
    try:
        faults = inject_faults(t0, redis, postgres, master_pid, set(args.skip_fault))
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=15)
    return samples, comments, faults, t0


# --- the report ---------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return (
        ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else 0
    )


def seconds(moment: float | None, t0: float) -> str:
    return "-" if moment is None else f"{moment - t0:.2f}"


def report(samples: list[Sample], t0: float, faults: dict[str, Observed]) -> None:
    total = max(s.ended for s in samples) - t0 if samples else 0.0
    statuses = Counter(s.status for s in samples)
    latencies = [s.latency_ms for s in samples]
    rate = len(samples) / total if total else 0
    print(f"\nrequests: {len(samples)} in {total:.0f} s = {rate:.0f} req/s")
    print("status counts:", dict(sorted(statuses.items())), "(0 = connection error)")
    print(
        f"latency p50 {percentile(latencies, 0.5):.1f} ms, "
        f"p99 {percentile(latencies, 0.99):.1f} ms"
    )
    kill = faults["worker-kill"]
    print(
        "\nfault windows, from when the fault was seen to begin to when it was seen "
        "to end\n(seconds from the start; requests = those in flight in the window)"
    )
    print(
        f"{'fault':<22} {'injected':>8} {'seen from':>9} {'to':>6} {'requests':>8} "
        f"{'failed':>6} {'excused':>7} {'p50 ms':>7} {'p99 ms':>7}"
    )
    for fault in faults.values():
        if fault.began is None or fault.ended is None:
            print(
                f"{fault.name:<22} {seconds(fault.injected_at, t0):>8}  not seen to "
                "begin and end"
            )
            continue
        in_window = [
            s for s in samples if s.started <= fault.ended and s.ended >= fault.began
        ]
        failed = [s for s in in_window if s.failed]
        excused = [s for s in failed if in_flight_on_killed_worker(s, kill)]
        window_latency = [s.latency_ms for s in in_window]
        print(
            f"{fault.name:<22} {seconds(fault.injected_at, t0):>8} "
            f"{seconds(fault.began, t0):>9} {seconds(fault.ended, t0):>6} "
            f"{len(in_window):>8} {len(failed) - len(excused):>6} {len(excused):>7} "
            f"{percentile(window_latency, 0.5):>7.1f} "
            f"{percentile(window_latency, 0.99):>7.1f}"
        )
    for sample in [s for s in samples if s.failed][:10]:
        excuse = " (in flight on the killed worker)" * in_flight_on_killed_worker(
            sample, kill
        )
        print(
            f"  failed at {sample.started - t0:5.2f}-{sample.ended - t0:5.2f} s: "
            f"{sample.status or sample.error} {sample.path}{excuse}"
        )
    beacons = [s for s in samples if s.path.endswith("/view/")]
    print(
        f"view beacons: {len(beacons)} sent, "
        f"{sum(s.status == 204 for s in beacons)} answered 204"
    )


def report_comments(comments: Comments, state: dict) -> None:
    stored = state["comments"]
    unique = set(stored)
    print(
        f"comments: {len(comments.sent)} sent, {len(comments.acknowledged)} "
        f"acknowledged (201), {len(stored)} stored; acknowledged but lost: "
        f"{len(comments.acknowledged.keys() - unique)}; stored twice: "
        f"{len(stored) - len(unique)}; stored but never acknowledged: "
        f"{len(unique - comments.acknowledged.keys())}"
    )
    print(
        f"views stored after a final flush: {state['views']} (all beacons come from "
        "one address: a new reader each until its READER_TOKEN_RATE_LIMIT of new "
        "tokens is spent; views beaconed while Redis was stopped or paused are not "
        "counted)"
    )


def verdict_problems(
    samples: list[Sample],
    t0: float,
    faults: dict[str, Observed],
    comments: Comments,
    state: dict,
) -> list[str]:
    problems = [problem for fault in faults.values() for problem in fault.problems]
    stored = Counter(state["comments"])
    lost = comments.acknowledged.keys() - stored.keys()
    if lost:
        when = ", ".join(f"{comments.acknowledged[body] - t0:.2f}" for body in lost)
        problems.append(
            f"{len(lost)} acknowledged (201) comments are not stored "
            f"(acknowledged at {when} s)"
        )
    twice = [body for body, count in stored.items() if count > 1]
    if twice:
        problems.append(f"{len(twice)} comments are stored more than once")
    kill = faults["worker-kill"]
    unexcused = [
        s for s in samples if s.failed and not in_flight_on_killed_worker(s, kill)
    ]
    if unexcused:
        counts = Counter(str(s.status or s.error) for s in unexcused)
        problems.append(
            f"{len(unexcused)} requests failed outside the killed worker's in-flight "
            f"requests: {dict(counts)}"
        )
    if not samples:
        problems.append("no request was made")
    return problems


if __name__ == "__main__":
    main()
