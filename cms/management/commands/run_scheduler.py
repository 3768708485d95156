"""Publish and expire scheduled pages on a timer, so nobody has to remember a cron line.

Runs beside the web workers (`make serve` starts it; see the README for production):

    python manage.py run_scheduler            # every 60 seconds until stopped
    python manage.py run_scheduler --once     # one pass, e.g. from an external timer

Each pass calls Wagtail's `publish_scheduled`, which publishes revisions whose
go-live time has passed and unpublishes pages whose expiry has passed, then each
function named in settings.PERIODIC_TASKS (apps' periodic work, e.g. flushing view
counts). A failing task is logged and retried on the next tick; the loop never dies
on a database blip.

Several schedulers may run (one per app node): on PostgreSQL each pass holds an
advisory lock, so passes never overlap and each scheduled publish happens once
(the pass that comes second finds nothing left to do). See cms/scheduler_lock.py.
"""

import logging
import signal
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.module_loading import import_string

from cms.scheduler_lock import scheduler_lock

logger = logging.getLogger("cms.scheduler")


class Command(BaseCommand):
    help = "Publish/unpublish scheduled pages every --interval seconds."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=60.0)
        parser.add_argument("--once", action="store_true")

    def handle(self, *args, interval: float, once: bool, **options):
        if once:
            self.run_pass()
            return
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        logger.info("scheduler started: a pass every %.0f s", interval)
        while not stop.is_set():
            # A long-lived process: drop broken or expired connections between
            # passes, as Django does between requests.
            close_old_connections()
            self.run_pass()
            close_old_connections()
            stop.wait(interval)
        logger.info("scheduler stopped")

    def run_pass(self) -> None:
        with scheduler_lock() as acquired:
            if acquired:
                self._run_pass()
            else:
                logger.debug("another scheduler is running a pass; skipped")

    def _run_pass(self) -> None:
        try:
            call_command("publish_scheduled", verbosity=0)
        except Exception:
            logger.exception("scheduled publishing pass failed; retrying next tick")
        for dotted_path in settings.PERIODIC_TASKS:
            try:
                import_string(dotted_path)()
            except Exception:
                logger.exception(
                    "periodic task %s failed; retrying next tick", dotted_path
                )
