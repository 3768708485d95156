"""Purges that reach every process when pages are cached in process memory.

With Redis, every worker shares one cache and hears every purge. Without it (the
embedded default: `make run`, `make serve` without REDIS_URL) each process caches
in its own memory, and the scheduler or a management command runs in a process of
its own: its purges would never reach the web server. So each such purge is also
written to a small table, and every process caching pages in memory reads the
entries it has not applied yet, at most every PAGE_CACHE_PURGE_SYNC_INTERVAL
seconds (one indexed query), before it answers from its cache. A purge made
anywhere is therefore applied everywhere within about a second, with nothing but
the database the site already has. Entries older than PAGE_CACHE_TIMEOUT are
deleted: no page cached before them can still be served.
"""

import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("cms.page_cache")

CLEAR_ALL = "*"
PRUNE_EVERY = 60.0


class PurgeLogEntry(models.Model):
    tags = models.JSONField(_("tags"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        app_label = "cms"
        verbose_name = _("page cache purge")
        indexes = [models.Index(fields=["created_at"], name="purge_log_created_idx")]

    def __str__(self) -> str:
        return ", ".join(self.tags)


class PurgeLog:
    """One process's view of the shared log: what it wrote, what it has applied."""

    def __init__(self, interval: float):
        self.interval = interval
        self.lock = threading.Lock()
        self.last_seen: int | None = None
        self.next_check = 0.0
        self.next_prune = 0.0
        self.own: set[int] = set()

    def record(self, tags: set[str]) -> None:
        """Share a purge this process has just applied (never raises: the local
        purge is done, and the others' copies expire with PAGE_CACHE_TIMEOUT)."""
        try:
            entry = PurgeLogEntry.objects.create(tags=sorted(tags))
            with self.lock:
                self.own.add(entry.pk)
            self._prune_now_and_then()
        except DatabaseError:
            logger.error(
                "page cache purge not shared with other processes", exc_info=True
            )

    def catch_up(self, apply: Callable[[set[str]], object]) -> None:
        """Apply the purges other processes logged since the last look."""
        now = time.monotonic()
        with self.lock:
            if now < self.next_check:
                return
            self.next_check = now + self.interval
            last_seen = self.last_seen
        try:
            if last_seen is None:
                # Nothing is cached yet in this process: earlier purges don't matter.
                latest = PurgeLogEntry.objects.order_by("-pk").first()
                with self.lock:
                    self.last_seen = latest.pk if latest else 0
                return
            entries = list(
                PurgeLogEntry.objects.filter(pk__gt=last_seen)
                .order_by("pk")
                .values_list("pk", "tags")
            )
        except DatabaseError:
            logger.warning("shared page cache purges unreadable", exc_info=True)
            return
        tags: set[str] = set()
        with self.lock:
            for pk, entry_tags in entries:
                if pk not in self.own:
                    tags.update(entry_tags)
                self.own.discard(pk)
                self.last_seen = pk
        if tags:
            apply(tags)

    def _prune_now_and_then(self) -> None:
        now = time.monotonic()
        if now < self.next_prune:
            return
        self.next_prune = now + PRUNE_EVERY
        cutoff = timezone.now() - timedelta(seconds=settings.PAGE_CACHE_TIMEOUT)
        PurgeLogEntry.objects.filter(created_at__lt=cutoff).delete()
