"""The site with its real Redis stopped: .ci/run stops Redis and runs this module with
REDIS_OUTAGE=1 (and REDIS_URL pointing at the stopped server). Every page still
renders, nobody waits seconds, editors still log in and publish, the failed purge is
logged, failed logins still lock out. With Redis up these checks would prove
nothing, so they run only there."""

import os

import pytest
from django.test import Client
from django.urls import reverse

from articles.factories import ArticlePageFactory
from cms.page_cache.store import get_breaker
from cms.tests.login import log_in

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not os.environ.get("REDIS_OUTAGE"),
        reason="runs in .ci/run's segment with the real Redis stopped (REDIS_OUTAGE=1)",
    ),
]


def test_redis_really_is_down():
    from django_redis import get_redis_connection

    with pytest.raises(Exception):  # noqa: B017 - any connection error will do
        get_redis_connection("default").ping()


def test_public_pages_render_without_stalls(client, article_index, settings):
    # A pause longer than the test, so the trip count below cannot depend on speed.
    settings.PAGE_CACHE_OUTAGE_PAUSE = 3600
    article = ArticlePageFactory(parent=article_index, tags=["rail"])
    urls = ["/", "/articles/", "/articles/tag/rail/", article.url] * 5

    responses = [client.get(url) for url in urls]

    assert [r.status_code for r in responses] == [200] * len(urls)
    assert {r["X-Wagtail-Cache"] for r in responses} <= {"err", "skip", "miss"}
    # No stalls: one request paid the connection timeout and opened the breaker;
    # the other 19 went straight to rendering.
    assert get_breaker().trips == 1


def test_editor_logs_in_and_publishes_and_the_failed_purge_is_logged(
    client, editor, article_index, caplog, django_capture_on_commit_callbacks
):
    article = ArticlePageFactory(parent=article_index, live=False, published_at=None)
    assert log_in(client, "editor", "pw-editor-1").status_code == 302

    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision(user=editor).publish(user=editor)

    article.refresh_from_db()
    assert article.live
    assert any("purge FAILED" in r.getMessage() for r in caplog.records)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_logins_are_still_throttled(client, editor, settings):
    # Failed logins are counted in the database (django-axes' database handler), so
    # the lockout holds, for that username and address only, without Redis.
    failures = [
        log_in(client, "editor", "wrong").status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert failures == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert log_in(client, "editor", "pw-editor-1").status_code == 429

    elsewhere = Client()
    response = log_in(elsewhere, "editor", "pw-editor-1", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302
    assert elsewhere.get(reverse("wagtailadmin_home")).status_code == 200


def test_reader_writes_work_and_rate_limits_hold_per_process(
    client, article_index, settings
):
    """Decision: with Redis down, rate limits fall back to each process's own
    counts (cms/rate_limit.py): still enforced, never a 500. Views cannot be
    buffered, so they are not counted, and the beacon still answers 204."""
    from cms.rate_limit import local_counts
    from engagement.models import Comment, Rating

    local_counts.clear()
    settings.COMMENT_RATE_LIMIT = "3/600"
    article = ArticlePageFactory(parent=article_index)
    url = f"/reader/pages/{article.pk}/"
    comment = {"name": "Ada", "email": "ada@example.com", "body": "Still here"}
    statuses = [
        client.post(f"{url}comments/", {**comment, "body": f"n{n}"}).status_code
        for n in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]
    assert Comment.objects.count() == 3

    # A rating needs the token a page view hands out; both work without Redis.
    assert client.get(f"{url}respond/").status_code == 200
    assert client.post(f"{url}rating/", {"score": 4}).status_code == 302
    assert Rating.objects.get().score == 4

    beacon = client.post(f"{url}view/", HTTP_USER_AGENT="Mozilla/5.0 Firefox/130")
    assert beacon.status_code == 204
