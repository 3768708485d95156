"""Production settings plus a trivial view, for the page-cache benchmark only."""

from cms.settings.production import *  # noqa: F403
from cms.settings.production import PAGE_CACHE_EXCLUDED_PATHS

ROOT_URLCONF = "bench.urls"
# The trivial view runs through the whole middleware stack, page cache included,
# but is never itself stored: it is the yardstick.
PAGE_CACHE_EXCLUDED_PATHS = [*PAGE_CACHE_EXCLUDED_PATHS, "/bench/"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"level": "WARNING"},
}
