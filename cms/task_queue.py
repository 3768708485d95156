"""How the task queue is doing, for /readyz: on the database queue, a task that
has waited long means no worker is running (purges are not being carried out,
so readers keep stale pages). Reported, not required: the site still serves."""

from django.db.models import Min
from django.utils import timezone
from django_tasks import default_task_backend
from django_tasks_db.models import DBTaskResult, get_date_max

# A task ready for longer than this means the workers are missing or stuck.
STALLED_AFTER_SECONDS = 60


def oldest_waiting_seconds() -> float | None:
    """How long the oldest task due to run has waited; None on a queue that does
    not wait (immediate) or when none is waiting."""
    if not default_task_backend.supports_defer:
        return None
    now = timezone.now()
    due = DBTaskResult.objects.ready()
    # A task to run as soon as possible has waited since it was queued; a
    # deferred one since its moment came.
    moments = [
        due.filter(run_after=get_date_max()).aggregate(Min("enqueued_at"))[
            "enqueued_at__min"
        ],
        due.exclude(run_after=get_date_max()).aggregate(Min("run_after"))[
            "run_after__min"
        ],
    ]
    moments = [moment for moment in moments if moment is not None]
    if not moments:
        return None
    return (now - min(moments)).total_seconds()


def queue_status() -> str:
    try:
        waited = oldest_waiting_seconds()
    except Exception as error:  # the database check reports the outage itself
        return f"unknown: {type(error).__name__}"
    if waited is not None and waited > STALLED_AFTER_SECONDS:
        return f"stalled: a task has waited {waited:.0f} s (is db_worker running?)"
    return "ok"
