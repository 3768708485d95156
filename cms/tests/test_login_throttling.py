"""Login throttling (django-axes, cms/login_throttling.py): LOGIN_FAILURE_LIMIT
failed logins for one username from one client address lock that pair out for
LOGIN_COOLOFF_MINUTES, the right password included; superusers see and lift
lockouts in the admin (below). Everything goes through the real login form."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import F
from django.test import Client, override_settings

from cms.tests.login import LOGIN_URL, is_logged_in, log_in
from cms.tests.outage import CLOSED_PORT_CACHES

pytestmark = pytest.mark.django_db

PASSWORD = "pw-editor-1"  # the conftest editor's
READER = "203.0.113.7"
OTHER_READER = "198.51.100.20"
PROXY = "10.0.0.5"


def fail_until_locked(client: Client, username: str = "editor", **extra):
    """LOGIN_FAILURE_LIMIT wrong passwords; the last is the one that locks."""
    answers = [
        log_in(client, username, "wrong", **extra).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    # The form says "wrong password" until the limit; the limit-th failure is
    # already answered with the lockout.
    assert answers == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]


def test_the_limit_is_five_failures_for_fifteen_minutes_by_default():
    assert settings.LOGIN_FAILURE_LIMIT == settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)


def test_the_right_password_after_the_limit_is_refused_with_a_429(client, editor):
    fail_until_locked(client, REMOTE_ADDR=READER)

    response = log_in(client, "editor", PASSWORD, REMOTE_ADDR=READER)

    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed login attempts. Try again in 15 minutes." in page
    assert "Sign in to Wagtail" in page  # the admin's login frame, not bare text
    assert response["Retry-After"] == "900"
    assert "no-store" in response["Cache-Control"]
    assert not is_logged_in(client)


def test_fewer_failures_than_the_limit_still_let_the_right_password_in(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "editor", "wrong", REMOTE_ADDR=READER).status_code == 200

    assert log_in(client, "editor", PASSWORD, REMOTE_ADDR=READER).status_code == 302
    assert is_logged_in(client)


def test_a_successful_login_forgets_earlier_failures(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "editor", "wrong", REMOTE_ADDR=READER)
    log_in(client, "editor", PASSWORD, REMOTE_ADDR=READER)
    client.logout()

    # Another LIMIT - 1 failures would have locked the pair had the count gone on.
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "editor", "wrong", REMOTE_ADDR=READER).status_code == 200
    assert log_in(client, "editor", PASSWORD, REMOTE_ADDR=READER).status_code == 302


def test_the_lock_holds_only_for_that_username_from_that_address(
    client, editor, author
):
    fail_until_locked(client, REMOTE_ADDR=READER)

    # The account's owner, elsewhere, is not locked out by someone guessing.
    elsewhere = Client()
    assert (
        log_in(elsewhere, "editor", PASSWORD, REMOTE_ADDR=OTHER_READER).status_code
        == 302
    )
    assert is_logged_in(elsewhere)
    # Nor is a colleague behind the same address.
    colleague = Client()
    assert (
        log_in(colleague, "author", "pw-author-1", REMOTE_ADDR=READER).status_code
        == 302
    )
    assert is_logged_in(colleague)
    # The locked pair still is.
    assert log_in(client, "editor", PASSWORD, REMOTE_ADDR=READER).status_code == 429


@override_settings(TRUSTED_PROXIES=[PROXY])
def test_behind_a_trusted_proxy_the_forwarded_address_is_the_key(client, editor):
    fail_until_locked(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=READER)

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {READER}
    locked = log_in(
        client, "editor", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=READER
    )
    assert locked.status_code == 429
    # Another reader through the same proxy is someone else.
    other = Client()
    response = log_in(
        other, "editor", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OTHER_READER
    )
    assert response.status_code == 302


@override_settings(TRUSTED_PROXIES=[PROXY])
def test_a_forged_forwarded_header_from_an_untrusted_peer_does_not_escape(
    client, editor
):
    fail_until_locked(client, REMOTE_ADDR=READER)

    # Only a trusted proxy may name the client: from READER itself the header is
    # ignored and READER stays locked, whatever address it claims.
    response = log_in(
        client, "editor", PASSWORD, REMOTE_ADDR=READER, HTTP_X_FORWARDED_FOR="192.0.2.1"
    )
    assert response.status_code == 429


def test_the_lock_ends_after_the_cool_off(client, editor):
    fail_until_locked(client, REMOTE_ADDR=READER)
    assert log_in(client, "editor", PASSWORD, REMOTE_ADDR=READER).status_code == 429

    # Time travel: every recorded attempt is now one cool-off (and a second) old.
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time")
        - settings.AXES_COOLOFF_TIME
        - timedelta(seconds=1)
    )

    assert log_in(client, "editor", PASSWORD, REMOTE_ADDR=READER).status_code == 302
    assert is_logged_in(client)


def test_an_attempt_during_the_lock_starts_the_wait_again(client, editor):
    fail_until_locked(client, REMOTE_ADDR=READER)
    # Most of the cool-off passes; then one more try.
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time")
        - settings.AXES_COOLOFF_TIME
        + timedelta(minutes=1)
    )
    assert log_in(client, "editor", PASSWORD, REMOTE_ADDR=READER).status_code == 429

    # The original cool-off is over, but the latest attempt is recent.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=2))
    assert log_in(client, "editor", PASSWORD, REMOTE_ADDR=READER).status_code == 429


@override_settings(AXES_FAILURE_LIMIT=2, AXES_COOLOFF_TIME=timedelta(minutes=1))
def test_the_message_gives_the_configured_wait(client, editor):
    fail_until_locked(client, REMOTE_ADDR=READER)

    response = log_in(client, "editor", PASSWORD, REMOTE_ADDR=READER)

    assert response.status_code == 429
    assert "Try again in 1 minute." in response.content.decode()
    assert response["Retry-After"] == "60"


@override_settings(CACHES=CLOSED_PORT_CACHES)
def test_with_the_cache_unreachable_the_lock_still_holds(client, editor, author):
    # Attempts are counted in the database: a Redis outage neither lifts the lock
    # nor turns a login into a 500.
    fail_until_locked(client, REMOTE_ADDR=READER)

    assert log_in(client, "editor", PASSWORD, REMOTE_ADDR=READER).status_code == 429
    assert not is_logged_in(client)
    colleague = Client()
    assert (
        log_in(colleague, "author", "pw-author-1", REMOTE_ADDR=READER).status_code
        == 302
    )
    assert is_logged_in(colleague)


def test_a_peer_without_an_ip_address_is_throttled_by_username(client, editor):
    # A Unix-socket peer with no trusted proxy header has no address to key on;
    # the IP column (inet on PostgreSQL) must not make that a 500.
    fail_until_locked(client, REMOTE_ADDR="")

    assert log_in(client, "editor", PASSWORD, REMOTE_ADDR="").status_code == 429
    assert AccessAttempt.objects.get().ip_address is None
    assert log_in(Client(), "editor", PASSWORD, REMOTE_ADDR=READER).status_code == 302


@pytest.mark.parametrize(
    "username", ["x" * 5000, "editor\x00", "editor\n", "' OR 1=1 --", "ädmin"]
)
def test_hostile_usernames_are_form_errors_never_5xx(client, editor, username):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = log_in(client, username, "wrong", REMOTE_ADDR=READER)
        assert response.status_code in (200, 429)
    # Whatever was typed, the real account from elsewhere is untouched.
    assert (
        log_in(Client(), "editor", PASSWORD, REMOTE_ADDR=OTHER_READER).status_code
        == 302
    )


def test_the_login_page_is_the_only_login_form():
    # Django's admin (a second login form nobody used) is not installed.
    assert "django.contrib.admin" not in settings.INSTALLED_APPS
    assert Client().get("/django-admin/login/").status_code == 404
    assert Client().get(LOGIN_URL).status_code == 200
