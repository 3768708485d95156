"""A Redis outage must degrade to cache misses, never to 500s or long stalls."""

import time

import pytest
from django.test import override_settings

from cms.tests.outage import CLOSED_PORT_CACHES


@pytest.mark.django_db
@override_settings(CACHES=CLOSED_PORT_CACHES)
def test_pages_render_with_redis_at_a_closed_port(client, home_page):
    started = time.monotonic()
    response = client.get("/")
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    assert home_page.title in response.content.decode()
    assert elapsed < 3.0


@pytest.mark.django_db
@override_settings(CACHES=CLOSED_PORT_CACHES)
def test_admin_login_page_renders_with_redis_at_a_closed_port(client):
    assert client.get("/admin/login/").status_code == 200
