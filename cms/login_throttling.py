"""Login throttling: what django-axes needs from the project.

Axes counts failed logins in the database per username and client address and,
from LOGIN_FAILURE_LIMIT on, refuses that pair before any password is checked
(settings: "Login throttling"). This module gives it the client address our other
limits use, answers a refused login, and says whether a pair is locked out now
(the admin's lockout listing, cms/viewsets.py).
"""

from datetime import datetime, timedelta
from math import ceil

from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import ngettext

from .client_address import client_address, parse_address

LOCKED_OUT_TEMPLATE = "cms/login_locked_out.html"


def login_client_address(request: HttpRequest) -> str | None:
    """The reader's address as every rate limit sees it (TRUSTED_PROXIES
    honoured), or None when the peer is no IP address at all (a Unix socket with
    no trusted proxy header). Axes stores the address in an IP column (inet on
    PostgreSQL) where "unknown" would fail the login with a 500; with None such
    logins share one key per username, which still throttles them."""
    address = client_address(request)
    return address if parse_address(address) is not None else None


def cool_off() -> timedelta:
    return get_cool_off()


def lockout_message() -> str:
    minutes = ceil(cool_off().total_seconds() / 60)
    return ngettext(
        "Too many failed login attempts. Try again in %(minutes)d minute.",
        "Too many failed login attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the answer to a login refused for too many failures.

    A page in the admin's login style, not the form again: every attempt during
    the lockout, the right password included, starts the wait afresh, so the form
    would only invite the user to extend it. 429 with Retry-After, never cached.
    """
    response = render(
        request,
        LOCKED_OUT_TEMPLATE,
        {"lockout_message": lockout_message()},
        status=429,
    )
    response["Retry-After"] = str(int(cool_off().total_seconds()))
    add_never_cache_headers(response)
    return response


def locked_until(latest_attempt: datetime, failures: int) -> datetime | None:
    """When a pair with `failures` counted failures, the latest at
    `latest_attempt`, may log in again; None if it is not locked out now. Axes
    counts the failures of the last cool-off period, so each failure while locked
    out pushes the end back."""
    end = latest_attempt + cool_off()
    if failures < settings.AXES_FAILURE_LIMIT or end <= timezone.now():
        return None
    return end
