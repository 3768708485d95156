"""Anonymous readers: a random token in a signed cookie, no login needed.

The token identifies a browser, not a person, and holds nothing else. Only a page
view hands one out (the view beacon and the respond page, through
`issue_reader_token`); each view re-signs it, so its signature dates from the
reader's latest view. What it is good for:

- views: a reader's repeated views of a page count once (engagement/endpoints.py);
- ratings: a rating needs a token whose last view is at most RATING_TOKEN_MAX_AGE
  old, so a script cannot rate by posting alone, and a reader re-rates (replacing
  their score) rather than adding one;
- search statistics: a reader's repeated searches count once.

A script can still fetch tokens, one per page view: at most READER_TOKEN_RATE_LIMIT
new tokens per client address, past which views are told apart by address only.
"""

import secrets

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from cms.rate_limit import Rate, allow

COOKIE_NAME = "pw_reader"
COOKIE_SALT = "articles.reader"  # kept: existing cookies stay valid
COOKIE_MAX_AGE = 60 * 60 * 24 * 365


def existing_reader_token(
    request: HttpRequest, max_age: int = COOKIE_MAX_AGE
) -> str | None:
    """The token of the reader's valid cookie signed within `max_age` seconds,
    else None. Never hands out a new one."""
    try:
        return request.get_signed_cookie(
            COOKIE_NAME, default=None, salt=COOKIE_SALT, max_age=max_age
        )
    except signing.BadSignature:  # get_signed_cookie lets some through (bad base64)
        return None


def issue_reader_token(request: HttpRequest) -> str | None:
    """For a page view: the reader's token, re-signed by `remember_reader`, or a new
    one while this address may still be given new ones (else None)."""
    if not hasattr(request, "_reader_token"):
        token = existing_reader_token(request)
        if token is None and allow(
            request, "reader-token", Rate.parse(settings.READER_TOKEN_RATE_LIMIT)
        ):
            token = secrets.token_urlsafe(24)
        request._reader_token = token
    return request._reader_token


def remember_reader(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Sign the token this request issued into the reader's cookie (anew on every
    view, so the signature dates from the latest one)."""
    token = getattr(request, "_reader_token", None)
    if token is not None:
        response.set_signed_cookie(
            COOKIE_NAME,
            token,
            salt=COOKIE_SALT,
            max_age=COOKIE_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response
