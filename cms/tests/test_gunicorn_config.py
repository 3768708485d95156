"""deploy/gunicorn.conf.py as gunicorn itself reads it (--print-config), and the
masking of gunicorn's own error log. Serving under slow clients is measured in
test_slow_clients.py; the trusted-proxy list in test_trusted_proxies_live.py."""

import logging
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from bench.harness import GUNICORN_CONFIG
from cms.tests.live_site import ROOT


def gunicorn_config(**env: str) -> dict[str, str]:
    environment = {
        k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "TRUSTED_PROXIES"}
    }
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--config",
            str(GUNICORN_CONFIG),
            "--print-config",
        ],
        cwd=ROOT,
        env={**environment, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(
        (part.strip() for part in line.split("=", 1))
        for line in done.stdout.splitlines()
        if "=" in line
    )


def test_one_threaded_process_without_redis_since_its_caches_are_per_process():
    config = gunicorn_config()
    assert (config["worker_class"], config["workers"]) == ("gthread", "1")
    assert int(config["threads"]) >= 8


def test_several_processes_share_redis():
    assert int(gunicorn_config(REDIS_URL="redis://127.0.0.1:1/0")["workers"]) > 1


def test_gunicorn_trusts_the_same_proxies_as_django():
    assert gunicorn_config()["forwarded_allow_ips"] == "[]"
    config = gunicorn_config(TRUSTED_PROXIES="10.0.0.5,192.168.0.0/16")
    assert config["forwarded_allow_ips"] == "['10.0.0.5', '192.168.0.0/16']"


def test_no_access_log():
    assert gunicorn_config()["accesslog"] == "None"


@pytest.mark.parametrize(
    ("message", "args", "logged"),
    [
        (
            "Error handling request %s %s",
            ("GET", "/search/?q=private+words&token=abc"),
            "Error handling request GET /search/?***",
        ),
        (
            "Error handling request %s",
            ("/password_reset/confirm/MQ/c3k-9a8b/",),
            "Error handling request /password_reset/confirm/***/***/",
        ),
        (
            "Invalid request from ip=10.0.0.5: Invalid HTTP Version 'GET /?a=1 X'",
            (),
            "Invalid request from ip=10.0.0.5: Invalid HTTP Version 'GET /?*** X'",
        ),
    ],
)
def test_gunicorns_error_log_masks_query_strings_and_reset_tokens(
    message, args, logged
):
    mask = runpy.run_path(str(GUNICORN_CONFIG))["MaskQueries"]()
    record = logging.LogRecord(
        "gunicorn.error", logging.ERROR, "", 0, message, args, None
    )
    assert mask.filter(record)
    assert record.getMessage() == logged
