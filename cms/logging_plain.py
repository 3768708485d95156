"""Plain-text log lines that cannot be forged, and client errors without tracebacks.

A request path may carry any character once percent-decoded (`/%0aINFO fake`): written
as is, a newline starts what looks like a second log line. Every character that is
not printable (newlines, carriage returns, escape sequences, other control and
separator characters) is written as a Python escape (`\\n`, `\\x1b`, `\\u2028`), so
one record is always one line. A traceback, appended after the message, keeps its
own newlines. (The JSON format escapes through json.dumps already.)
"""

import logging


def escape_unprintable(text: str) -> str:
    if text.isprintable():
        return text
    return "".join(
        char if char.isprintable() else char.encode("unicode_escape").decode("ascii")
        for char in text
    )


class PlainFormatter(logging.Formatter):
    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's
        record.message = escape_unprintable(record.message)
        return super().formatMessage(record)


class SecurityNoticesWithoutTraceback(logging.Filter):
    """Django logs each SuspiciousOperation (a forged Host header, a bad session
    cookie) on django.security at ERROR with its traceback. Each is a 400 that any
    client can cause, already on the request line: kept as a WARNING, once, without
    the traceback, so they cannot bury real errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("django.security"):
            record.exc_info = record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True
