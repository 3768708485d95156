"""`make bench`: every benchmark.

- pages.py: query counts and render times on the embedded default and again on
  PostgreSQL when DATABASE_URL is set;
- page_cache.py: requests/s under gunicorn + wrk (hit vs trivial view vs uncached)
  and purge time vs cache size; needs wrk and Redis (REDIS_URL or 127.0.0.1:6379/14).
"""

import os
import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def run(script: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, str(BENCH_DIR / script)], env=env, check=True)


def main() -> None:
    embedded = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}
    }
    print("=== pages.py on the embedded default (SQLite + local cache)", flush=True)
    run("pages.py", embedded)
    if os.environ.get("DATABASE_URL"):
        print("=== pages.py on DATABASE_URL (PostgreSQL)", flush=True)
        run("pages.py", dict(os.environ))
    print("=== page_cache.py under gunicorn", flush=True)
    run("page_cache.py", dict(os.environ))


if __name__ == "__main__":
    main()
