"""Signing out stays signed out, whatever Redis does.

Each test signs an editor in through the admin's own login form, pauses a real
(private) Redis with SIGSTOP, ends the session one way (logout, a password change,
deactivation), resumes Redis and tries the old session cookie again. The shared
Redis is never paused: these tests start their own.
"""

import shutil

import pytest
from django.test import Client

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        shutil.which("redis-server") is None, reason="needs redis-server installed"
    ),
]

PASSWORD = "pw-editor-1"  # conftest's _member_of


@pytest.fixture
def redis_server(private_redis_cache):
    return private_redis_cache


def signed_in(editor) -> Client:
    client = Client()
    response = client.post(
        "/admin/login/", {"username": editor.username, "password": PASSWORD}
    )
    assert response.status_code == 302, "the login form should accept the editor"
    assert client.get("/admin/").status_code == 200
    return client


def replay(session_cookie: str) -> int:
    """The admin's answer to a browser that kept the old cookie."""
    stale = Client()
    stale.cookies["sessionid"] = session_cookie
    return stale.get("/admin/").status_code


def end_by_logout(client, editor) -> None:
    assert client.post("/admin/logout/").status_code == 302


def end_by_password_change(client, editor) -> None:
    editor.set_password("a-new-pw-for-edith-42")
    editor.save()


def end_by_deactivation(client, editor) -> None:
    editor.is_active = False
    editor.save()


@pytest.mark.parametrize(
    "end_session",
    [end_by_logout, end_by_password_change, end_by_deactivation],
    ids=["logout", "password change", "deactivation"],
)
def test_an_ended_session_stays_ended_after_redis_pauses_and_resumes(
    redis_server, editor, end_session
):
    client = signed_in(editor)
    cookie = client.cookies["sessionid"].value

    redis_server.pause()
    end_session(client, editor)
    assert replay(cookie) == 302  # refused while Redis is away...
    redis_server.resume()

    assert replay(cookie) == 302  # ...and still refused once it is back
    assert replay(cookie) == 302


def test_the_control_cached_sessions_bring_a_logout_back(
    settings, redis_server, editor
):
    """Why sessions are not cached: with cached_db, the copy the paused Redis kept
    signs the editor in again. If this stops failing that way, the reason for the
    choice in settings has gone, not the protection."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client = signed_in(editor)
    cookie = client.cookies["sessionid"].value

    redis_server.pause()
    end_by_logout(client, editor)
    redis_server.resume()

    assert replay(cookie) == 200
