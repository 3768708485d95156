"""Clearing the whole page cache: superusers only, by POST with a CSRF token."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = "/admin/page-cache/"


def test_superuser_clears_by_post(client, superuser, home_page):
    client.get("/")
    assert client.get("/")["X-Wagtail-Cache"] == "hit"
    client.force_login(superuser)

    assert client.get(URL).status_code == 200  # the confirmation form
    response = client.post(URL)

    assert response.status_code == 302
    client.logout()
    assert client.get("/")["X-Wagtail-Cache"] == "miss"


def test_get_does_not_clear(client, superuser, home_page):
    client.get("/")
    client.force_login(superuser)
    client.get(URL)
    client.logout()
    assert client.get("/")["X-Wagtail-Cache"] == "hit"


def test_post_without_csrf_token_is_refused(superuser, home_page):
    browser = Client(enforce_csrf_checks=True)
    browser.get("/")
    browser.force_login(superuser)
    assert browser.post(URL).status_code == 403
    browser.logout()
    assert browser.get("/")["X-Wagtail-Cache"] == "hit"


def test_editors_cannot_clear(client, editor, home_page):
    client.get("/")
    client.force_login(editor)
    for response in (client.get(URL), client.post(URL)):
        # Wagtail's admin answers PermissionDenied with a redirect to its dashboard.
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
    client.logout()
    assert client.get("/")["X-Wagtail-Cache"] == "hit"


def test_menu_item_only_for_superusers(client, editor, superuser):
    client.force_login(editor)
    assert URL not in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(superuser)
    assert URL in client.get(reverse("wagtailadmin_home")).content.decode()


def test_anonymous_is_sent_to_login(client):
    response = client.post(URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_csrf_endpoint_lets_a_cached_page_post_a_form(home_page):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/")
    assert "Set-Cookie" not in page.headers  # the cached page stays cookie-free

    token_response = browser.get("/csrf/")
    assert token_response["Cache-Control"].startswith("max-age=0")
    assert "no-store" in token_response["Cache-Control"]
    token = token_response.json()["token"]

    # A CSRF-protected POST (the admin's login form) accepts the fetched token.
    refused = Client(enforce_csrf_checks=True).post("/admin/login/", {})
    accepted = browser.post(
        "/admin/login/", {"csrfmiddlewaretoken": token, "username": "x"}
    )
    assert refused.status_code == 403
    assert accepted.status_code == 200
