"""Settings read the environment: embedded default, PostgreSQL/Redis, production guards.

Each case runs in a subprocess so the environment is exactly what the case says.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
STRONG_SECRET = secrets.token_urlsafe(50)

PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "pool": "pool" in settings.DATABASES["default"].get("OPTIONS", {}),
    "cache": settings.CACHES["default"]["BACKEND"],
    "session_engine": settings.SESSION_ENGINE,
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "csrf_trusted_origins": settings.CSRF_TRUSTED_ORIGINS,
    "admin_base_url": settings.WAGTAILADMIN_BASE_URL,
    "api_base_url": settings.WAGTAILAPI_BASE_URL,
}))
"""


def run_python(code: str, **env_overrides: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "SITE_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def probe(**env: str) -> dict:
    result = run_python(PROBE, DJANGO_SETTINGS_MODULE="cms.settings.dev", **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_nothing_set_means_sqlite_and_local_memory_cache():
    found = probe()
    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["db_name"].endswith("db.sqlite3")
    assert found["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert found["session_engine"] == "django.contrib.sessions.backends.db"


def test_database_and_redis_urls_switch_to_postgresql_and_redis():
    found = probe(
        DATABASE_URL="postgres://someone@db.example:5432/presswagon",
        REDIS_URL="redis://cache.example:6379/3",
    )
    assert found["engine"] == "django.db.backends.postgresql"
    assert found["db_name"] == "presswagon"
    assert found["pool"] is True
    assert found["cache"] == "django_redis.cache.RedisCache"
    # Never cached: a logout must not come undone when Redis returns.
    assert found["session_engine"] == "django.contrib.sessions.backends.db"


def test_production_refuses_to_start_without_secret_key():
    result = run_python(
        PROBE,
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SITE_URL="https://news.example.com",
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "ImproperlyConfigured" in result.stderr


@pytest.mark.parametrize("hosts", ["*", ""])
def test_production_refuses_wildcard_or_missing_allowed_hosts(hosts):
    result = run_python(
        PROBE,
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=STRONG_SECRET,
        SITE_URL="https://news.example.com",
        ALLOWED_HOSTS=hosts,
    )
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_check_deploy_is_clean_with_a_strong_secret():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=STRONG_SECRET,
        SITE_URL="https://news.example.com",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_site_url_feeds_hosts_origins_and_wagtails_base_urls():
    found = probe(SITE_URL="https://news.example.org/")
    assert "news.example.org" in found["allowed_hosts"]
    assert found["csrf_trusted_origins"] == ["https://news.example.org"]
    assert found["admin_base_url"] == "https://news.example.org"
    assert found["api_base_url"] == "https://news.example.org"


def test_without_site_url_the_api_follows_the_site_record():
    found = probe()
    assert found["api_base_url"] is None
    assert found["admin_base_url"] == "http://127.0.0.1:8000"


@pytest.mark.parametrize(
    "site_url",
    [
        "news.example.org",  # no scheme
        "ftp://news.example.org",
        "https://news.example.org/edition/",  # a path Wagtail's Site cannot hold
        "https://news.example.org:8443",  # Site spells https only as 443
        "https://news.example.org?x=1",
    ],
)
def test_a_site_url_the_site_record_cannot_spell_stops_start_up(site_url):
    result = run_python(
        PROBE, DJANGO_SETTINGS_MODULE="cms.settings.dev", SITE_URL=site_url
    )
    assert result.returncode != 0
    assert "SITE_URL must be scheme://host[:port]" in result.stderr


def test_production_refuses_to_start_without_site_url():
    result = run_python(
        PROBE,
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=STRONG_SECRET,
        ALLOWED_HOSTS="news.example.com",
    )
    assert result.returncode != 0
    assert "SITE_URL must be the public address" in result.stderr


def test_production_allows_only_the_site_urls_host_by_default():
    result = run_python(
        PROBE,
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=STRONG_SECRET,
        SITE_URL="https://news.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1])["allowed_hosts"] == [
        "news.example.org"
    ]
