"""`make bench`: every benchmark; exits 1 if any of them failed, after running all.

- pages.py: query counts and render times on the embedded default and again on
  PostgreSQL when DATABASE_URL is set;
- page_cache.py: requests/s under gunicorn + wrk (local-copy hit, Redis hit, trivial
  view, uncached) and purge time vs cache size, against its targets; needs wrk and
  redis-server (it starts a private Redis on 127.0.0.1:6391);
- edge.py: two gunicorn nodes behind Varnish on a private PostgreSQL (5442) and
  Redis (6392): requests/s of an edge hit vs a page-cache hit, publish-to-edge
  latency, stale reads after a purge and renders per purge, against their targets;
  needs wrk and varnishd with the xkey vmod (about 6 minutes);
- lighthouse.py: Lighthouse's four category scores for the front page and an
  article, phone and desktop, against their targets; needs bench/node_modules
  (`make bench` installs it with npm) and /usr/bin/chromium.
"""

import os
import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def run(script: str, env: dict[str, str]) -> bool:
    """Run one benchmark; whether it passed (exit status 0)."""
    return (
        subprocess.run([sys.executable, str(BENCH_DIR / script)], env=env).returncode
        == 0
    )


def main() -> None:
    embedded = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}
    }
    failed = []
    print("=== pages.py on the embedded default (SQLite + local cache)", flush=True)
    if not run("pages.py", embedded):
        failed.append("pages.py (embedded default)")
    if os.environ.get("DATABASE_URL"):
        print("=== pages.py on DATABASE_URL (PostgreSQL)", flush=True)
        if not run("pages.py", dict(os.environ)):
            failed.append("pages.py (PostgreSQL)")
    print("=== page_cache.py under gunicorn", flush=True)
    if not run("page_cache.py", dict(os.environ)):
        failed.append("page_cache.py")
    print("=== edge.py: two nodes behind Varnish", flush=True)
    if not run("edge.py", dict(os.environ)):
        failed.append("edge.py")
    print("=== lighthouse.py under gunicorn", flush=True)
    if not run("lighthouse.py", dict(os.environ)):
        failed.append("lighthouse.py")
    if failed:
        raise SystemExit(f"benchmarks failed: {', '.join(failed)}")
    print("all benchmarks passed")


if __name__ == "__main__":
    main()
