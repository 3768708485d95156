"""Production: secrets required, HTTPS enforced, static files compressed by whitenoise.

Run `manage.py check --deploy --fail-level WARNING` against this module in CI.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SITE_URL, STORAGES, TASK_BACKENDS, env

DEBUG = False
IS_PRODUCTION = True

# No default: a missing SECRET_KEY stops the process with ImproperlyConfigured.
SECRET_KEY = env.str("SECRET_KEY")
# The same bar as Django's security.W009 check, enforced at start-up.
if (
    len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or SECRET_KEY.startswith("django-insecure")
):
    raise ImproperlyConfigured("SECRET_KEY must be a long random value in production.")

# Every absolute URL is built from SITE_URL: without it a live site would link to
# whatever Host header reached it (base.py, "Public address").
if not SITE_URL:
    raise ImproperlyConfigured(
        "SITE_URL must be the public address, e.g. https://news.example.org."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[urlsplit(SITE_URL).hostname])
if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the site's hosts, never '*'.")

# Tasks wait in the database for `manage.py db_worker` (beside the web server and the
# scheduler), retried until they succeed: never lost with the request that asked.
TASK_QUEUE = env.str("TASK_QUEUE", default="database")
if TASK_QUEUE not in TASK_BACKENDS:
    raise ImproperlyConfigured("TASK_QUEUE must be 'immediate' or 'database'.")
TASKS = {"default": TASK_BACKENDS[TASK_QUEUE]}

STORAGES = {
    **STORAGES,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

# HTTPS everywhere. Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
