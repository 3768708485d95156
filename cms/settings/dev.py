"""Local development: DEBUG on, media served, debug toolbar when installed."""

import importlib.util

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, INSTALLED_APPS, MIDDLEWARE, env

DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Readers' 404 page instead of Django's technical one, which the
# Content-Security-Policy leaves unstyled (cms/middleware/debug_error_pages.py).
# Innermost, so the redirects middleware still sees the 404.
MIDDLEWARE = [*MIDDLEWARE, "cms.middleware.debug_error_pages.DebugErrorPagesMiddleware"]

# The toolbar is a dev-only tool from requirements-dev.txt; `make run` installs only
# the runtime set, so it is switched on when present rather than required.
if DEBUG and importlib.util.find_spec("debug_toolbar"):
    INSTALLED_APPS = [*INSTALLED_APPS, "debug_toolbar"]
    MIDDLEWARE = ["debug_toolbar.middleware.DebugToolbarMiddleware", *MIDDLEWARE]
    INTERNAL_IPS = ["127.0.0.1"]

# whitenoise serves straight from the finders in development; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
