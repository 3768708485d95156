"""Logging in through the admin's login form, as a browser does.

Django's `client.login()` calls authenticate() without a request, which the login
throttle (django-axes' backend) refuses: it cannot tell whose attempt it is. Tests
that need a signed-in user use `force_login()`, or this, which also goes through
the throttle exactly as production does.
"""

from django.test import Client

LOGIN_URL = "/admin/login/"


def log_in(client: Client, username: str, password: str, **extra):
    """POST the login form; `extra` sets request headers such as REMOTE_ADDR."""
    return client.post(LOGIN_URL, {"username": username, "password": password}, **extra)


def is_logged_in(client: Client) -> bool:
    # The admin home answers 200 to a signed-in user, a redirect to login otherwise.
    return client.get("/admin/").status_code == 200
