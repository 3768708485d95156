"""Test settings: fast hashing, plain static storage, media in a throwaway folder.

The database and cache still come from the environment, so the same suite runs on
the embedded default and on PostgreSQL + Redis.
"""

import tempfile

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS

DEBUG = False
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="presswagon-test-media-")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"
STATIC_ROOT = tempfile.mkdtemp(prefix="presswagon-test-static-")
# One process: no purge needs sharing, and query budgets stay exact. The tests of
# the shared purge log turn it on.
PAGE_CACHE_SHARED_PURGES = False

# Test-only page types (a non-article page with reader engagement).
INSTALLED_APPS = [*INSTALLED_APPS, "engagement.tests.testapp"]
