"""A Redis outage must degrade to cache misses, never to 500s or long stalls."""

import pytest
from django.test import override_settings

from cms.page_cache.store import get_breaker
from cms.tests.outage import CLOSED_PORT_CACHES


@pytest.mark.django_db
@override_settings(CACHES=CLOSED_PORT_CACHES, PAGE_CACHE_OUTAGE_PAUSE=3600)
def test_pages_render_with_redis_at_a_closed_port(client, home_page):
    first, second = client.get("/"), client.get("/")

    assert first.status_code == second.status_code == 200
    assert home_page.title in second.content.decode()
    # The first request found Redis gone and opened the breaker; the second did not
    # try again (no second connection timeout to wait for).
    assert get_breaker().trips == 1


@pytest.mark.django_db
@override_settings(CACHES=CLOSED_PORT_CACHES)
def test_admin_login_page_renders_with_redis_at_a_closed_port(client):
    assert client.get("/admin/login/").status_code == 200
