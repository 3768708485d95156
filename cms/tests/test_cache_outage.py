"""A Redis outage must degrade to cache misses, never to 500s or long stalls."""

import time

import pytest
from django.test import override_settings

CLOSED_PORT_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        # Port 1 on loopback: nothing listens, connections are refused at once.
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": 0.25,
            "SOCKET_TIMEOUT": 0.25,
            "IGNORE_EXCEPTIONS": True,
        },
    },
}


@pytest.mark.django_db
@override_settings(CACHES=CLOSED_PORT_REDIS)
def test_pages_render_with_redis_at_a_closed_port(client, home_page):
    started = time.monotonic()
    response = client.get("/")
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    assert home_page.title in response.content.decode()
    assert elapsed < 3.0


@pytest.mark.django_db
@override_settings(CACHES=CLOSED_PORT_REDIS)
def test_admin_login_page_renders_with_redis_at_a_closed_port(client):
    assert client.get("/admin/login/").status_code == 200
