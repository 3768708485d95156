"""The page cache's rules: what is served from the cache, what never is."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from wagtail.models import PageViewRestriction

from cms.page_cache.middleware import response_is_cacheable
from cms.page_cache.store import get_breaker
from cms.tests.outage import CLOSED_PORT_CACHES

pytestmark = pytest.mark.django_db

HEADER = "X-Wagtail-Cache"


def status(response) -> str:
    return response[HEADER]


def test_anonymous_get_is_a_miss_then_a_hit(client, home_page):
    first, second = client.get("/"), client.get("/")

    assert (status(first), status(second)) == ("miss", "hit")
    assert second.status_code == 200
    assert second.content == first.content
    assert "Set-Cookie" not in second.headers


def test_head_is_answered_from_the_get_entry(client, home_page):
    client.get("/")
    assert status(client.head("/")) == "hit"


def test_tracking_parameters_share_the_entry_and_junk_parameters_bypass(
    client, home_page
):
    client.get("/")
    assert status(client.get("/?utm_source=newsletter")) == "hit"
    assert status(client.get("/?anything=else")) == "skip"


def test_logged_in_users_are_never_served_from_the_cache(client, home_page, superuser):
    client.get("/")  # cached for anonymous readers
    client.force_login(superuser)

    response = client.get("/")

    assert status(response) == "skip"
    assert "wagtail-userbar" in response.content.decode()  # a fresh, personal render


def test_admin_urls_are_never_cached(client, superuser):
    assert status(client.get("/admin/login/")) == "skip"
    assert status(client.get("/admin/login/")) == "skip"


def test_previews_are_never_cached(client, home_page, superuser):
    client.force_login(superuser)
    url = f"/admin/pages/{home_page.pk}/edit/preview/"
    assert status(client.get(url)) == "skip"
    request = RequestFactory().get("/")
    request.is_preview = True
    assert not response_is_cacheable(request, HttpResponse("draft"))


def test_posts_are_never_cached_nor_answered_from_the_cache(client, home_page):
    client.get("/")
    response = client.post("/", {"x": "1"})
    assert status(response) == "skip"


def test_password_restricted_pages_are_never_stored(client, home_page):
    PageViewRestriction.objects.create(
        page=home_page, restriction_type=PageViewRestriction.PASSWORD, password="pw"
    )
    first, second = client.get("/"), client.get("/")

    assert status(first) == status(second) == "skip"
    assert "private" in second["Cache-Control"]
    assert home_page.strapline not in second.content.decode()


def test_restricting_a_cached_page_purges_it(
    client, home_page, django_capture_on_commit_callbacks
):
    client.get("/")
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=home_page, restriction_type=PageViewRestriction.LOGIN
        )

    response = client.get("/")
    assert status(response) != "hit"
    assert response.status_code == 302  # anonymous readers now go to the login page


@pytest.mark.parametrize(
    "make_response",
    [
        lambda: HttpResponse("x", status=500),
        lambda: HttpResponse("x", status=503),
        lambda: HttpResponse("x", headers={"Cache-Control": "private"}),
        lambda: HttpResponse("x", headers={"Cache-Control": "no-store"}),
        lambda: HttpResponse("x", headers={"Cache-Control": "no-cache"}),
        lambda: HttpResponse("x", headers={"Vary": "*"}),
    ],
    ids=["500", "503", "private", "no-store", "no-cache", "vary-star"],
)
def test_uncacheable_responses(make_response):
    assert not response_is_cacheable(RequestFactory().get("/"), make_response())


def test_responses_that_set_cookies_are_not_stored():
    response = HttpResponse("x")
    response.set_cookie("flavour", "oat")
    assert not response_is_cacheable(RequestFactory().get("/"), response)
    assert response_is_cacheable(RequestFactory().get("/"), HttpResponse("x"))


def test_server_errors_are_not_stored(client, home_page, monkeypatch):
    from home.models import HomePage

    def broken(self, request, *args, **kwargs):
        raise RuntimeError("template exploded")

    monkeypatch.setattr(HomePage, "get_context", broken)
    client.raise_request_exception = False
    assert client.get("/").status_code == 500
    monkeypatch.undo()

    response = client.get("/")
    assert response.status_code == 200
    assert status(response) == "miss"


def test_forged_host_is_400_not_a_cache_entry(client, home_page):
    response = client.get("/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400


def test_cached_404_is_purged_when_a_page_appears_there(
    client, home_page, django_capture_on_commit_callbacks
):
    from wagtail.models import Page

    assert client.get("/fresh/").status_code == 404
    assert status(client.get("/fresh/")) == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        page = home_page.add_child(
            instance=Page(title="Fresh", slug="fresh", live=False)
        )
        page.save_revision().publish(skip_permission_checks=True)

    assert client.get("/fresh/").status_code == 200


# A pause far longer than the test: the breaker cannot close again by itself while
# the requests run, however slow the machine, so the counts below are exact.
@override_settings(CACHES=CLOSED_PORT_CACHES, PAGE_CACHE_OUTAGE_PAUSE=3600)
def test_redis_down_one_failed_attempt_opens_the_breaker_for_every_request(
    client, home_page
):
    breaker = get_breaker()
    responses = [client.get("/") for _ in range(20)]

    assert {r.status_code for r in responses} == {200}
    assert {status(r) for r in responses} == {"err"}
    # Only the first request tried Redis; the other 19 did not pay its timeout.
    assert breaker.trips == 1


@override_settings(CACHES=CLOSED_PORT_CACHES, PAGE_CACHE_OUTAGE_PAUSE=3600)
def test_after_the_pause_the_breaker_tries_redis_again_once(client, home_page):
    breaker = get_breaker()
    client.get("/")
    assert breaker.trips == 1

    breaker.open_until = 0.0  # the pause is over (rather than waiting an hour)
    responses = [client.get("/") for _ in range(5)]

    assert {status(r) for r in responses} == {"err"}
    assert breaker.trips == 2  # one more attempt, then open again


@override_settings(CACHES=CLOSED_PORT_CACHES)
def test_redis_down_publishing_succeeds_and_the_failed_purge_is_logged(
    home_page, caplog, django_capture_on_commit_callbacks
):
    home_page.title = "Still publishable"
    with django_capture_on_commit_callbacks(execute=True):
        home_page.save_revision().publish(skip_permission_checks=True)

    home_page.refresh_from_db()
    assert home_page.title == "Still publishable" and home_page.live
    assert any("purge FAILED" in record.getMessage() for record in caplog.records)
