"""The durable purge: one task per content change, carried out until it succeeds.

A purge has several targets: the page store (Redis, or process memory on the
embedded default) and every configured edge (each Varnish node, the CDN:
cms/edge/purgers.py), the store first. A target that fails (Redis or Varnish down,
the CDN answering 5xx) is retried alone, later, with backoff (a failed store with
every edge: they may refill from its stale copy until it is purged), until
it succeeds or until nothing cached before the change can still be served anyway
(the longest a page may be kept: PAGE_CACHE_TIMEOUT, EDGE_MAX_AGE plus grace).

On the database backend (production: `manage.py db_worker` runs the queue) a
purge requested while Redis is down is carried out when it returns, and an edge
purge is made a second time EDGE_REPURGE_DELAY seconds later: a render that began
before the change and reached the edge just after the first purge does not stay
there. (The page store needs no second purge: a render that overlapped a purge is
never stored, cms/page_cache/middleware.py.) On the immediate backend (the
embedded default) the task runs inside the request, once.
"""

import logging
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import default_task_backend, task

from cms.edge.purgers import configured_purgers, purger_named
from cms.edge.tags import SITE_WIDE

from .store import get_store

logger = logging.getLogger("cms.page_cache")

STORE = "store"
# Clearing everything: the store is emptied, the edge purges the tag every response
# it keeps carries.
CLEAR_ALL = SITE_WIDE
MAX_BACKOFF = 30.0
STORE_RETRY_SECONDS = 0.5


def purge_targets() -> list[str]:
    return [STORE, *(purger.name for purger in configured_purgers())]


def backoff(attempt: int, targets: list[str]) -> float:
    """Seconds before retry `attempt` (2, 3, ...) of `targets`.

    The store is retried every STORE_RETRY_SECONDS, however long it has been down:
    the moment Redis is back, web nodes may read their old copies from it again
    (each as soon as its circuit breaker closes), so its purge must come first, and
    a try costs one short timeout. An edge is retried after 1, 2, 4 ... up to 30 s:
    a CDN answering 429 or 5xx must not be hammered."""
    if STORE in targets:
        return STORE_RETRY_SECONDS
    return min(2.0 ** (attempt - 2), MAX_BACKOFF)


def give_up_after() -> float:
    """After this many seconds every copy made before the change has expired."""
    edge = settings.EDGE_MAX_AGE + settings.EDGE_STALE_WHILE_REVALIDATE
    return float(max(settings.PAGE_CACHE_TIMEOUT, edge if configured_purgers() else 0))


def queue_is_deferred() -> bool:
    """Whether tasks run later, in a worker (they may then be scheduled)."""
    return default_task_backend.supports_defer


def _purge_target(target: str, tags: list[str]) -> None:
    started = time.perf_counter()
    if target == STORE:
        if tags == [CLEAR_ALL]:
            get_store().clear()
            logger.warning("page cache cleared entirely")
            return
        purged = get_store().purge(set(tags))
        logger.info(
            "page cache purged %d pages for %d tags in %.1f ms",
            purged,
            len(tags),
            (time.perf_counter() - started) * 1000,
        )
        return
    purger = purger_named(target)
    if purger is None:  # the edge was unconfigured since the purge was queued
        logger.warning("purge target %s is no longer configured; skipped", target)
        return
    purger.purge(tags)  # logs what it sent (logger cms.edge)


# Ahead of the search and reference index updates a publish also queues: readers
# wait for the purge, nobody waits for the index.
@task(priority=50)
def purge_cache_tags(
    tags: list[str],
    targets: list[str],
    requested_at: str,
    attempt: int = 1,
    repeat_at_edge: bool = True,
) -> list[str]:
    """Purge `tags` at each of `targets`; returns the targets that failed (they are
    queued again when the queue can defer)."""
    failed = []
    for target in targets:
        try:
            _purge_target(target, tags)
        except Exception as error:  # EdgePurgeFailed, Redis errors, ...
            failed.append(target)
            logger.warning(
                "purge at %s failed (attempt %d): %s", target, attempt, error
            )
    if not queue_is_deferred():
        if failed:
            logger.error(
                "page cache purge FAILED at %s for tags %s; those pages may stay "
                "stale until they expire",
                ", ".join(failed),
                sorted(tags),
            )
        return failed
    now = timezone.now()
    if STORE in failed:
        # Until the store is purged, an edge may fetch its stale copy again: the
        # edges are purged again after it, on the same retry.
        failed = [STORE, *(t for t in targets if t != STORE)]
    if failed:
        age = (now - datetime.fromisoformat(requested_at)).total_seconds()
        if age > give_up_after():
            logger.error(
                "purge at %s abandoned after %d attempts: every copy it would have "
                "removed has expired",
                ", ".join(failed),
                attempt,
            )
        else:
            purge_cache_tags.using(
                run_after=now + timedelta(seconds=backoff(attempt + 1, failed))
            ).enqueue(
                tags,
                failed,
                requested_at,
                attempt=attempt + 1,
                repeat_at_edge=repeat_at_edge,
            )
    edge_done = [t for t in targets if t != STORE and t not in failed]
    if repeat_at_edge and edge_done:
        purge_cache_tags.using(
            run_after=now + timedelta(seconds=settings.EDGE_REPURGE_DELAY)
        ).enqueue(tags, edge_done, requested_at, repeat_at_edge=False)
    return failed


def request_purge(tags: list[str]) -> None:
    """Queue a purge of `tags` at every target. Never raises: the change that asks
    for it has been committed and must not fail now; if even queueing fails, the
    purge is attempted here and now."""
    targets = purge_targets()
    requested_at = timezone.now().isoformat()
    try:
        purge_cache_tags.enqueue(tags, targets, requested_at)
    except Exception:
        logger.error("purge could not be queued; purging directly", exc_info=True)
        for target in targets:
            try:
                _purge_target(target, tags)
            except Exception:
                logger.error(
                    "page cache purge FAILED at %s for tags %s",
                    target,
                    tags,
                    exc_info=True,
                )
