"""Page cache benchmark: requests/s under gunicorn, and purge time vs cache size.

    python bench/page_cache.py [--seconds 10] [--connections 16]

Needs wrk (apt-get install wrk) and Redis (REDIS_URL, default
redis://127.0.0.1:6379/14 -- a database of the benchmark's own, emptied first).
Uses a throwaway database: presswagon_bench on DATABASE_URL's PostgreSQL server
when set (dropped and recreated), else a temporary SQLite file. Starts gunicorn with 3
workers on 127.0.0.1 (loopback only), runs wrk against:
  - a cached article page (anonymous: a page-cache hit),
  - a trivial view returning "ok" through the same middleware stack,
  - the same article uncached (a query parameter outside the allow-list bypasses
    the cache, so the page renders every time),
and prints requests/s and the ratios. Then times one publish's purge with 10 and
with 10,000 pages in the cache.
"""

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (  # noqa: E402
    ROOT,
    fresh_postgres_url,
    prepare_site,
    server_environment,
    start_gunicorn,
)

PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"


def environment(workdir: Path) -> dict[str, str]:
    database = os.environ.get("DATABASE_URL", "")
    if database.startswith("postgres"):
        database = fresh_postgres_url(database, "presswagon_bench")
    else:
        database = f"sqlite:///{workdir / 'bench.sqlite3'}"
    redis = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14")
    return server_environment(workdir, database, redis)


def wrk(url: str, seconds: int, connections: int) -> float:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        raise SystemExit(f"{url}: {non_2xx.group(1)} error responses\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def wait_until_up(url: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1)  # noqa: S310 - loopback only
            return
        except Exception:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def header(url: str, name: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
        return response.headers.get(name, "")


def time_purge(env, sizes=(10, 10_000), affected=10, repeats=5) -> None:
    code = f"""
import django, statistics, time; django.setup()
from cms.page_cache.store import CachedResponse, get_store
store = get_store()
entry = CachedResponse(200, [("Content-Type", "text/html")], b"x" * 20_000)
for size in {sizes!r}:
    store.clear()
    for n in range(size):
        tags = {{f"page:{{n}}", f"listing:{{n % 50}}"}}
        if n < {affected}:
            tags.add("page:target")
        store.put(f"bench-{{n}}", entry, 600, tags)
    timings = []
    for _ in range({repeats}):
        for n in range({affected}):
            store.put(f"bench-{{n}}", entry, 600, {{"page:target"}})
        started = time.perf_counter()
        purged = store.purge({{"page:target", "listing:unused"}})
        timings.append((time.perf_counter() - started) * 1000)
    print(f"purge of {{purged}} pages with {{size:>6}} pages cached: "
          f"median {{statistics.median(timings):.2f}} ms")
store.clear()
"""
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")

    workdir = Path(tempfile.mkdtemp(prefix="presswagon-bench-"))
    env = environment(workdir)
    print(f"database: {env['DATABASE_URL'].split('@')[-1]}, cache: {env['REDIS_URL']}")
    article_url = prepare_site(env, 100)[-1]

    server = start_gunicorn(env, PORT)
    try:
        wait_until_up(f"{BASE}/bench/ok/")
        cached, trivial = f"{BASE}{article_url}", f"{BASE}/bench/ok/"
        uncached = f"{cached}?nocache=1"
        for url in (cached, cached, trivial, uncached):  # warm every worker's imports
            urllib.request.urlopen(url, timeout=10)  # noqa: S310 - loopback only
        assert header(cached, "X-Wagtail-Cache") == "hit"
        assert header(uncached, "X-Wagtail-Cache") == "skip"

        rates = {}
        for name, url in (
            ("cached article (hit)", cached),
            ("trivial view", trivial),
            ("uncached article", uncached),
        ):
            runs = [wrk(url, args.seconds, args.connections) for _ in range(2)]
            rates[name] = statistics.mean(runs)
            print(f"{name:<22} {rates[name]:>9.0f} req/s")
        hit, ok, miss = rates.values()
        print(f"hit / trivial view   = {hit / ok:.2f}x  (target >= 0.9x)")
        print(f"hit / uncached page  = {hit / miss:.1f}x  (target >= 10x)")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    time_purge(env)
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
