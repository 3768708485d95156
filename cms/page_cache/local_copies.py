"""An in-process copy of the most recently served pages, kept in step by Redis pub/sub.

A Redis round trip costs more than rendering a trivial view, so hits are answered
from process memory when possible. Consistency across workers: every purge publishes
the purged keys on a channel; each worker's listener thread drops them from its copy
within milliseconds. While a worker is not (or no longer) sure it is hearing every
purge -- before it has subscribed, after a connection error, or when its pings go
unanswered -- it keeps no copies and reads Redis every time.
"""

import logging
import os
import threading
import time
from collections import OrderedDict

logger = logging.getLogger("cms.page_cache")

CHANNEL = "pc:purged"
CLEAR_ALL = "*"


class LocalCopies:
    def __init__(self, redis, max_entries: int, ttl: float, ping_every: float = 2.0):
        self.redis = redis
        self.max_entries = max_entries
        self.ttl = ttl
        self.ping_every = ping_every
        self.entries: OrderedDict[str, tuple[float, object]] = OrderedDict()
        self.lock = threading.Lock()
        self.version = 0  # bumped by every invalidation this process hears of
        self.listening = False
        self.pid = None
        self.stopped = threading.Event()

    # --- reading and writing copies -------------------------------------------------

    def get(self, key: str):
        self._ensure_listener()
        with self.lock:
            if not self.listening:
                return None
            found = self.entries.get(key)
            if found is None:
                return None
            expires_at, entry = found
            if expires_at < time.monotonic():
                del self.entries[key]
                return None
            self.entries.move_to_end(key)
            return entry

    def current_version(self) -> int:
        return self.version

    def put(self, key: str, entry, seen_version: int) -> None:
        """Keep `entry` unless an invalidation arrived since `seen_version` was read
        (the entry read from Redis may predate that purge)."""
        with self.lock:
            if not self.listening or self.version != seen_version:
                return
            self.entries[key] = (time.monotonic() + self.ttl, entry)
            self.entries.move_to_end(key)
            while len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)

    def forget(self, keys: list[str] | None) -> None:
        """Drop these copies now (None: all). The purging process calls this itself
        rather than wait for its own notification."""
        self._forget(keys)

    def stop(self) -> None:
        self.stopped.set()

    def _forget(self, keys: list[str] | None) -> None:
        with self.lock:
            self.version += 1
            if keys is None:
                self.entries.clear()
            else:
                for key in keys:
                    self.entries.pop(key, None)

    # --- the listener ---------------------------------------------------------------

    def _ensure_listener(self) -> None:
        # One listener per process; after a fork (gunicorn workers) start a new one.
        if self.pid == os.getpid():
            return
        self.pid = os.getpid()
        with self.lock:
            self.listening = False
            self.entries.clear()
        threading.Thread(
            target=self._listen_forever, name="page-cache-purges", daemon=True
        ).start()

    def _listen_forever(self) -> None:
        failures = 0
        while not self.stopped.is_set():
            try:
                self._listen()
            except Exception as error:
                failures += 1
                if failures == 1:  # log the outage once, not every retry
                    logger.warning("page cache purge listener lost Redis: %s", error)
            with self.lock:
                self.listening = False
            self._forget(None)
            self.stopped.wait(1.0)

    def _listen(self) -> None:
        pubsub = self.redis.pubsub(ignore_subscribe_messages=False)
        try:
            pubsub.subscribe(CHANNEL)
            last_heard = time.monotonic()
            last_ping = 0.0
            while not self.stopped.is_set():
                now = time.monotonic()
                if now - last_ping >= self.ping_every:
                    pubsub.ping()
                    last_ping = now
                if now - last_heard > 3 * self.ping_every:
                    raise ConnectionError("no answer to pings")
                message = pubsub.get_message(timeout=self.ping_every / 2)
                if message is None:
                    continue
                last_heard = time.monotonic()
                if message["type"] == "subscribe":
                    self._forget(None)  # anything kept before may have missed purges
                    with self.lock:
                        self.listening = True
                    logger.info("page cache purge listener subscribed")
                elif message["type"] == "message":
                    data = message["data"].decode()
                    self._forget(None if data == CLEAR_ALL else data.split())
        finally:
            pubsub.close()
