"""View counts shared by every worker through Redis (REDIS_URL segment only)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache

from articles.factories import ArticlePageFactory
from cms.buffered_counts import RedisBuffer
from engagement import view_counts
from engagement.models import DailyPageViews

pytestmark = [pytest.mark.django_db, pytest.mark.requires_redis]
PROJECT = Path(__file__).resolve().parents[2]


def test_views_counted_by_another_worker_are_flushed_here(article_index):
    buffer = view_counts.get_buffer()
    assert isinstance(buffer, RedisBuffer)
    buffer.drain()
    article = ArticlePageFactory(parent=article_index)
    cache.add(view_counts.FLUSH_LOCK_KEY, 1, 600)  # the other worker must not flush

    # Another worker process counts 7 views; they wait in Redis, not in its memory.
    code = (
        "import django; django.setup();"
        "from engagement.view_counts import record_view;"
        f"[record_view({article.pk}) for _ in range(7)]"
    )
    subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, env=os.environ, check=True
    )
    assert buffer.redis.hget(buffer.key, article.pk) == b"7"

    assert view_counts.flush() == 7
    assert DailyPageViews.objects.get(page=article).views == 7
    assert not buffer.redis.exists(buffer.key)
