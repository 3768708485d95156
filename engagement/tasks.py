"""Periodic work for the scheduler (settings.PERIODIC_TASKS)."""

from .popular import refresh_popular
from .view_counts import flush_if_due


def flush_views_and_refresh_popular() -> None:
    flush_if_due()
    refresh_popular()
