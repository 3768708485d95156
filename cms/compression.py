"""Which responses may be gzipped, and how.

Text (HTML, XML feeds and sitemap, JSON, plain text) is compressed when the client
asks for it. Responses that may carry a secret are never compressed (BREACH: the
length of a compressed body that holds both a secret and text an attacker chose,
such as a search query, reveals the secret byte by byte). A response is taken to
carry a secret when

- it sets a cookie: a CSRF token was rendered (get_token() re-sends the cookie),
  a session was created or changed, messages were stored;
- it is marked `private` or `no-store`: content for one visitor (`/csrf/`, the
  password form of a restricted page);
- the request carried a session cookie or credentials: the page may show who is
  logged in (the userbar and its token), so editors get uncompressed pages;
- its path is under COMPRESSION_EXCLUDED_PATHS: the admin and the reader endpoints
  (forms with tokens, per-reader answers) whatever the checks above say.

Anonymous pages without a cookie, which are exactly the ones the page cache
stores, are compressed. Streaming responses (media, documents) are passed through
untouched: they are files, mostly compressed already, and are not to be buffered.
"""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import cc_delim_re
from django.utils.text import compress_string

# Shorter bodies gain nothing (Django's GZipMiddleware uses the same floor).
MIN_LENGTH = 200
TEXT_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/javascript",
)
TEXT_SUFFIXES = ("+xml", "+json")  # application/rss+xml, application/atom+xml
SECRET_DIRECTIVES = {"private", "no-store"}


def is_text(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type.startswith(TEXT_TYPES) or media_type.endswith(TEXT_SUFFIXES)


def request_may_be_compressed(request) -> bool:
    """False when the answer may depend on who is asking (see the module doc)."""
    if request.path.startswith(tuple(settings.COMPRESSION_EXCLUDED_PATHS)):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    return "HTTP_AUTHORIZATION" not in request.META


def response_may_be_compressed(response) -> bool:
    """A text body worth compressing that carries no secret."""
    if response.streaming or response.has_header("Content-Encoding"):
        return False
    if response.cookies:
        return False
    directives = {
        directive.split("=", 1)[0].strip().lower()
        for directive in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    if directives & SECRET_DIRECTIVES:
        return False
    return len(response.content) >= MIN_LENGTH and is_text(
        response.get("Content-Type", "")
    )


def gzip_bytes(content: bytes) -> bytes:
    """Gzip as Django's GZipMiddleware does, random file-name padding included
    (a second line of defence against BREACH-style length probing)."""
    return compress_string(content, max_random_bytes=GZipMiddleware.max_random_bytes)
