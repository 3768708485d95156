"""Anonymous readers: a random token in a signed cookie, no login needed.

The token lets a reader re-rate (replacing their score) and keeps repeated views
from being counted twice. It identifies a browser, not a person, and holds nothing
else.
"""

import secrets

from django.conf import settings
from django.http import HttpRequest, HttpResponse

COOKIE_NAME = "pw_reader"
COOKIE_SALT = "articles.reader"  # kept: existing cookies stay valid
COOKIE_MAX_AGE = 60 * 60 * 24 * 365


def reader_token(request: HttpRequest) -> str:
    """This reader's token: from a valid cookie, else a new one (remember_reader
    then sets the cookie)."""
    if not hasattr(request, "_reader_token"):
        token = request.get_signed_cookie(
            COOKIE_NAME, default=None, salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE
        )
        request._reader_token_is_new = token is None
        request._reader_token = token or secrets.token_urlsafe(24)
    return request._reader_token


def remember_reader(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Set the cookie when this request gave the reader a new token."""
    if getattr(request, "_reader_token_is_new", False):
        response.set_signed_cookie(
            COOKIE_NAME,
            request._reader_token,
            salt=COOKIE_SALT,
            max_age=COOKIE_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response
