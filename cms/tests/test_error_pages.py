"""Error pages readers see are the site's own, styled ones, in every mode; and the
small markup helpers the public templates use."""

from datetime import UTC, datetime

import pytest
from django.contrib.staticfiles import finders
from django.test import override_settings

from cms.settings.base import MIDDLEWARE
from cms.templatetags.site_tags import html_datetime, initials

pytestmark = pytest.mark.django_db

STYLESHEET = b'rel="stylesheet" href="/static/css/site.css"'
DEV_MIDDLEWARE = [
    *MIDDLEWARE,
    "cms.middleware.debug_error_pages.DebugErrorPagesMiddleware",
]


def test_404_is_the_sites_page_with_its_stylesheet(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content and STYLESHEET in response.content


@override_settings(DEBUG=True, MIDDLEWARE=DEV_MIDDLEWARE)
def test_in_development_404_is_the_sites_page_not_djangos_technical_one(
    client, home_page
):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content and STYLESHEET in response.content
    assert b"Using the URLconf" not in response.content  # Django's technical 404
    # Under the site's own policy: nothing inline is needed.
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


@override_settings(DEBUG=True, MIDDLEWARE=DEV_MIDDLEWARE)
def test_in_development_the_traceback_page_may_use_its_inline_styles(
    client, home_page, monkeypatch
):
    from home.models import HomePage

    monkeypatch.setattr(HomePage, "get_context", lambda *a, **k: 1 / 0)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert b"ZeroDivisionError" in response.content  # Django's debug page
    assert "style-src 'self' 'unsafe-inline'" in response["Content-Security-Policy"]


def test_500_is_styled_and_needs_no_context(client, home_page, monkeypatch):
    from home.models import HomePage

    monkeypatch.setattr(HomePage, "get_context", lambda *a, **k: 1 / 0)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert STYLESHEET in response.content


def test_favicon_ico_leads_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/icons/favicon.ico"
    assert finders.find("icons/favicon.ico")  # the test settings serve no static


def test_pages_link_their_icons(client, home_page):
    html = client.get("/").content.decode()
    assert 'rel="icon" href="/static/icons/favicon.svg" type="image/svg+xml"' in html
    assert 'rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png"' in html


def test_html_datetime_has_whole_seconds_and_an_offset():
    moment = datetime(2026, 11, 30, 1, 45, 4, 721359, tzinfo=UTC)
    assert html_datetime(moment) == "2026-11-30T01:45:04+00:00"
    assert html_datetime(None) == ""


def test_initials():
    assert initials("Alice Munro") == "AM"
    assert initials("zed") == "Z"
    assert initials("Ada King Lovelace") == "AK"
