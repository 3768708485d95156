"""Throwaway databases for the benchmarks, so they never touch development data."""

import subprocess
from urllib.parse import urlsplit, urlunsplit


def fresh_postgres_url(base_url: str, name: str) -> str:
    """Drop and recreate database `name` on the server of `base_url`; its URL."""
    parts = urlsplit(base_url)
    args = [
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
        "-d",
        "postgres",
    ]
    env = {"PGPASSWORD": parts.password or ""}
    for sql in (
        f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
        f"CREATE DATABASE {name}",
    ):
        subprocess.run(
            ["psql", *args, "-q", "-c", sql], check=True, env=env, capture_output=True
        )
    return urlunsplit(parts._replace(path=f"/{name}"))
