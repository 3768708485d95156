"""Login throttling (django-axes, cms/login_throttling.py): LOGIN_FAILURE_LIMIT
failed logins for one username from one client address lock that pair out for
LOGIN_COOLOFF_MINUTES, the right password included; superusers see and lift
lockouts in the admin. Everything goes through the real login form."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms.tests.login import LOGIN_URL, is_logged_in, log_in
from cms.tests.outage import CLOSED_PORT_CACHES

pytestmark = pytest.mark.django_db

PASSWORD = "pw-editor-1"  # the conftest editor's
READER = "203.0.113.7"
OTHER_READER = "198.51.100.20"
PROXY = "10.0.0.5"
LOCKOUTS_URL = "/admin/login_lockouts/"


def listed_rows(response) -> list[str]:
    """The lockout listing's rows as plain text, buttons included
    ("editor Details Unlock 203.0.113.7 Locked until ...")."""
    page = response.content.decode()
    if '<table class="listing' not in page:
        return []  # Wagtail's "no items" message instead of a table
    table = page.split('<table class="listing', 1)[1]
    body = table.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", "<tr" + row).split())
        for row in body.split("<tr")[1:]
    ]


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


# --- The lockouts in the admin --------------------------------------------------------


def test_a_superuser_sees_a_lockout_and_unlocks_it(client, editor, superuser):
    locked_out = Client()
    fail_until_locked(locked_out, REMOTE_ADDR=READER)
    # The same pair from a second browser is a second row that shares the lock.
    log_in(locked_out, "editor", "wrong", REMOTE_ADDR=READER, HTTP_USER_AGENT="Other")
    assert AccessAttempt.objects.count() == 2

    client.force_login(superuser)
    listing = client.get(LOCKOUTS_URL)
    assert listing.status_code == 200
    rows = listed_rows(listing)
    # One pair, two browsers: both rows show the pair's lock and an Unlock button.
    assert len(rows) == 2
    assert all(
        row.startswith(f"editor Details Unlock {READER} Locked until ") for row in rows
    )

    attempt = AccessAttempt.objects.filter(user_agent="Other").get()
    unlock_url = reverse("login_lockouts:delete", args=[attempt.pk])
    assert "Forget the failed logins" in client.get(unlock_url).content.decode()
    response = client.post(unlock_url)

    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()  # both browsers' rows
    assert log_in(locked_out, "editor", PASSWORD, REMOTE_ADDR=READER).status_code == 302
    assert is_logged_in(locked_out)


def test_the_listing_searches_by_username(client, editor, author, superuser):
    fail_until_locked(Client(), "editor", REMOTE_ADDR=READER)
    log_in(Client(), "author", "wrong", REMOTE_ADDR=OTHER_READER)
    client.force_login(superuser)

    rows = listed_rows(client.get(LOCKOUTS_URL, {"q": "auth"}))

    assert len(rows) == 1
    assert rows[0].startswith(
        f"author Details Unlock {OTHER_READER} Not locked (1 failure)"
    )


def test_the_listing_leaves_out_attempts_older_than_the_cool_off(client, superuser):
    log_in(Client(), "ghost", "wrong", REMOTE_ADDR=READER)
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME
    )
    log_in(Client(), "recent", "wrong", REMOTE_ADDR=READER)
    client.force_login(superuser)

    rows = listed_rows(client.get(LOCKOUTS_URL))

    assert [row.split()[0] for row in rows] == ["recent"]


def test_the_listing_has_a_query_budget(
    client, superuser, django_assert_max_num_queries
):
    def listing_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LOCKOUTS_URL).status_code == 200
        return len(queries)

    client.force_login(superuser)
    for number in range(3):
        log_in(Client(), f"user{number}", "wrong", REMOTE_ADDR=READER)
    few = listing_queries()
    for number in range(3, 30):
        log_in(Client(), f"user{number}", "wrong", REMOTE_ADDR=READER)

    # Session, user, Wagtail's user profile, locales, two for the sidebar's page
    # explorer, the count and one page of attempts with their pair totals.
    with django_assert_max_num_queries(8):
        response = client.get(LOCKOUTS_URL)
    assert len(listed_rows(response)) == 20  # a full page: nothing per row
    assert listing_queries() == few


def test_a_shell_command_lifts_one_lockout(editor):
    locked_out = Client()
    fail_until_locked(locked_out, REMOTE_ADDR=READER)

    call_command("axes_reset_ip_username", READER, "editor", stdout=StringIO())

    assert log_in(locked_out, "editor", PASSWORD, REMOTE_ADDR=READER).status_code == 302


def test_only_superusers_get_the_menu_item(client, editor, superuser):
    client.force_login(editor)
    assert LOCKOUTS_URL not in client.get("/admin/").content.decode()
    client.force_login(superuser)
    assert LOCKOUTS_URL in client.get("/admin/").content.decode()


def test_an_editor_can_neither_see_nor_lift_a_lockout(client, editor, author):
    fail_until_locked(Client(), "author", REMOTE_ADDR=READER)
    attempt = AccessAttempt.objects.get()
    client.force_login(editor)

    listing = client.get(LOCKOUTS_URL)
    unlock = client.post(reverse("login_lockouts:delete", args=[attempt.pk]))
    inspect = client.get(reverse("login_lockouts:inspect", args=[attempt.pk]))

    for response in (listing, unlock, inspect):
        # Wagtail's answer to a missing permission: back to the dashboard.
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_no_one_may_add_or_edit_attempts(client, superuser):
    log_in(Client(), "someone", "wrong", REMOTE_ADDR=READER)
    attempt = AccessAttempt.objects.get()
    client.force_login(superuser)

    assert client.get(f"{LOCKOUTS_URL}new/").status_code == 404
    assert client.get(f"{LOCKOUTS_URL}edit/{attempt.pk}/").status_code == 404
    assert (
        client.get(reverse("login_lockouts:inspect", args=[attempt.pk])).status_code
        == 200
    )


def test_the_login_page_is_the_only_login_form():
    # Django's admin (a second login form nobody used) is not installed.
    assert "django.contrib.admin" not in settings.INSTALLED_APPS
    assert Client().get("/django-admin/login/").status_code == 404
    assert Client().get(LOGIN_URL).status_code == 200
