"""gunicorn's settings for Presswagon, used by `make serve`, the benchmarks and the
tests' live sites:

    gunicorn -c deploy/gunicorn.conf.py --bind 127.0.0.1:8000

Command-line options (or GUNICORN_CMD_ARGS) override any of these, e.g.
`--workers 4` or `--threads 16`. The environment is read by the project's settings
module, so gunicorn and Django see the same TRUSTED_PROXIES and REDIS_URL.
"""

import logging
import re

from gunicorn import glogging

from cms.settings import base

wsgi_app = "cms.wsgi:application"

# --- Workers ------------------------------------------------------------------------

# Threads, not sync workers: a sync worker is held by one connection from its first
# byte to its last, so three clients trickling a request stalled all three of them.
# A gthread worker waits for the request in its event loop, and a client that does
# trickle holds one of `threads` threads, not the process.
worker_class = "gthread"
# Below the PostgreSQL pool's default size (10 per process), so no thread waits for
# a connection.
threads = 8
# Without Redis the caches live in process memory, and a second process would keep
# serving pages the first one purged: one process. With Redis the processes share
# the cache, so use more than one core.
workers = 3 if base.REDIS_URL else 1

# A worker whose event loop is silent this long is killed and replaced; a request
# thread taking long does not count.
timeout = 30
# On reload or stop, requests in flight get this long to finish.
graceful_timeout = 30
# Idle kept-alive connections (from the proxy in front) close after this.
keepalive = 5

# The project's URLs and headers are short; refuse the rest early (414 / 431 / 400).
limit_request_line = 4096
limit_request_fields = 50
limit_request_field_size = 8190

# --- Proxies ------------------------------------------------------------------------

# gunicorn believes scheme headers (X-Forwarded-Proto) only from these peers; Django
# applies the same list to X-Forwarded-For and X-Forwarded-Proto
# (cms/client_address.py). Empty: nobody is believed.
forwarded_allow_ips = ",".join(base.TRUSTED_PROXIES)

# --- Logging ------------------------------------------------------------------------

# One request log: the project's own `cms.requests` (masked, see README). gunicorn's
# access log would repeat each request with its full query string, client address
# and user agent, so it stays off, and the error log masks query strings.
accesslog = None
errorlog = "-"
loglevel = "warning"

QUERY = re.compile(r"\?[^\s'\"]*")
SECRET_PATH = re.compile(r"(/password_reset/confirm/)[^/\s'\"]+/[^/\s'\"]+/")


class MaskQueries(logging.Filter):
    """Masks query strings and password-reset tokens in gunicorn's own messages
    (an unhandled error names the request URI; an invalid request quotes its
    request line)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = SECRET_PATH.sub(r"\1***/***/", record.getMessage())
        record.msg, record.args = QUERY.sub("?***", message), ()
        return True


class ErrorLogOnly(glogging.Logger):
    """gunicorn's logger without an access log, whatever else is configured."""

    def setup(self, cfg):
        super().setup(cfg)
        self.error_log.addFilter(MaskQueries())

    @property
    def access_log_enabled(self) -> bool:
        return False

    def access(self, resp, req, environ, request_time):
        return None


logger_class = ErrorLogOnly
