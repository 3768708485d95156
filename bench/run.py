"""`make bench`: every benchmark, on the embedded default and, when DATABASE_URL is
set, again on PostgreSQL (with REDIS_URL too if set)."""

import os
import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BENCHMARKS = ["pages.py"]


def run(script: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, str(BENCH_DIR / script)], env=env, check=True)


def main() -> None:
    embedded = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}
    }
    for script in BENCHMARKS:
        print(f"=== {script} on the embedded default (SQLite + local cache)")
        run(script, embedded)
        if os.environ.get("DATABASE_URL"):
            print(f"=== {script} on DATABASE_URL (PostgreSQL)")
            run(script, dict(os.environ))


if __name__ == "__main__":
    main()
