"""The durable purge: a change queues one task on the database queue; the worker
(`manage.py db_worker`) purges the page store and every edge, retries each target
that failed, alone and with backoff, and purges the edge a second time later."""

import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.factories import ArticlePageFactory
from cms.edge.tags import edge_tag
from cms.page_cache import tasks
from cms.page_cache.tags import page_tag
from cms.tests.edge_server import EdgeServer
from cms.tests.private_servers import free_port

pytestmark = pytest.mark.django_db

PURGE_TASK = "cms.page_cache.tasks.purge_cache_tags"
DATABASE_QUEUE = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}


@pytest.fixture
def varnish():
    server = EdgeServer()
    yield server
    server.close()


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Publish `page` as an editor would: its purge is queued when it commits."""

    def publish(page) -> None:
        # A change cards show too, so the purge names the page's `page:` tag (an
        # edit only its own page shows names `page-self:`).
        page.title = f"{page.title} (updated)"
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()

    return publish


@pytest.fixture
def queued(settings, varnish):
    """The production shape: tasks wait in the database; one Varnish node."""
    settings.TASKS = DATABASE_QUEUE
    settings.VARNISH_URLS = [varnish.url]
    settings.EDGE_REPURGE_DELAY = 5.0
    return settings


def run_worker() -> None:
    """The worker runs every task that is ready, then stops."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")


@pytest.fixture(autouse=True)
def _worker_inside_the_test_transaction(monkeypatch):
    # Between tasks the worker closes connections whose autocommit differs from
    # the settings', which inside the test's transaction is every connection (on
    # PostgreSQL it then cannot reopen one). The live tests run the real worker
    # process (test_edge_multinode.py).
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections",
        lambda: None,
    )


def purge_tasks(**filters):
    return DBTaskResult.objects.filter(task_path=PURGE_TASK, **filters).order_by(
        "enqueued_at"
    )


def make_ready(task: DBTaskResult) -> None:
    DBTaskResult.objects.filter(pk=task.pk).update(run_after=timezone.now())


def purged_edge_tags(server: EdgeServer) -> set[str]:
    return {
        tag
        for request in server.requests
        if request.method == "PURGE"
        for tag in request.headers["xkey"].split()
    }


def test_a_publish_is_purged_by_the_worker_not_by_the_request(
    queued, varnish, client, article_index, publish
):
    article = ArticlePageFactory(parent=article_index, title="First words")
    client.get(article.url)
    assert client.get(article.url)["X-Wagtail-Cache"] == "hit"
    DBTaskResult.objects.all().delete()  # what creating the article queued

    article.title = "Second words"
    publish(article)

    # Queued, not done: the publishing request does not wait for any cache.
    [task] = purge_tasks(status="READY")
    assert task.args_kwargs["args"][1] == ["store", f"varnish:{varnish.url}"]
    assert varnish.requests == []

    run_worker()

    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert edge_tag(page_tag(article.pk)) in purged_edge_tags(varnish)
    response = client.get(article.url)
    assert response["X-Wagtail-Cache"] == "miss"
    assert b"Second words" in response.content


def test_the_edge_is_purged_again_after_the_delay(
    queued, varnish, article_index, publish
):
    article = ArticlePageFactory(parent=article_index)
    DBTaskResult.objects.all().delete()
    publish(article)
    run_worker()
    purges_before = len(varnish.requests)

    [repeat] = purge_tasks(status="READY")
    assert repeat.args_kwargs["args"][1] == [f"varnish:{varnish.url}"]  # not the store
    assert repeat.args_kwargs["kwargs"]["repeat_at_edge"] is False
    delay = (repeat.run_after - repeat.enqueued_at).total_seconds()
    assert 4.5 < delay < 6

    run_worker()  # not due yet: nothing happens
    assert len(varnish.requests) == purges_before
    make_ready(repeat)
    run_worker()
    assert len(varnish.requests) == purges_before + 1
    assert edge_tag(page_tag(article.pk)) in purged_edge_tags(varnish)
    assert not purge_tasks(status="READY").exists()  # repeated once, not for ever


def test_a_failed_edge_is_retried_alone_until_it_answers(
    queued, client, article_index, caplog, publish
):
    down = f"http://127.0.0.1:{free_port()}"  # nothing listens there yet
    queued.VARNISH_URLS = [down]
    article = ArticlePageFactory(parent=article_index)
    client.get(article.url)
    DBTaskResult.objects.all().delete()

    publish(article)
    with caplog.at_level(logging.WARNING, logger="cms.page_cache"):
        run_worker()

    # The store was purged; the edge purge waits for its retry.
    assert client.get(article.url)["X-Wagtail-Cache"] == "miss"
    assert f"purge at varnish:{down} failed (attempt 1)" in caplog.text
    [retry] = purge_tasks(status="READY")
    assert retry.args_kwargs["args"][1] == [f"varnish:{down}"]
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert 0.5 < (retry.run_after - retry.enqueued_at).total_seconds() < 2

    # Still down at the second attempt: the third waits longer.
    make_ready(retry)
    run_worker()
    [third] = purge_tasks(status="READY")
    assert third.args_kwargs["kwargs"]["attempt"] == 3
    assert 1.5 < (third.run_after - third.enqueued_at).total_seconds() < 3

    # Varnish is back (at that address): the purge is carried out.
    port = int(down.rsplit(":", 1)[1])
    back = EdgeServer(port=port)
    try:
        make_ready(third)
        run_worker()
        assert edge_tag(page_tag(article.pk)) in purged_edge_tags(back)
    finally:
        back.close()
    # What is left is the delayed second edge purge, nothing else.
    [repeat] = purge_tasks(status="READY")
    assert repeat.args_kwargs["kwargs"]["repeat_at_edge"] is False


def test_a_failed_store_purge_is_retried_when_the_store_answers(
    queued, varnish, client, article_index, monkeypatch, publish
):
    article = ArticlePageFactory(parent=article_index)
    client.get(article.url)
    DBTaskResult.objects.all().delete()
    publish(article)

    store = tasks.get_store()
    real_purge = store.purge

    def unreachable(tags):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(store, "purge", unreachable)
    run_worker()
    assert client.get(article.url)["X-Wagtail-Cache"] == "hit"  # still stale
    [retry] = [
        t for t in purge_tasks(status="READY") if "store" in t.args_kwargs["args"][1]
    ]
    # The edge was purged, but may fetch the store's stale copy again until the
    # store is purged: the retry purges the store, then the edge again.
    assert retry.args_kwargs["args"][1] == ["store", f"varnish:{varnish.url}"]
    # Soon, and as soon at every attempt: readers may be reading it again.
    assert (retry.run_after - retry.enqueued_at).total_seconds() < 0.7
    edge_purges = len(varnish.requests)

    monkeypatch.setattr(store, "purge", real_purge)
    make_ready(retry)
    run_worker()
    assert client.get(article.url)["X-Wagtail-Cache"] == "miss"
    assert len(varnish.requests) == edge_purges + 1


def test_a_purge_is_abandoned_once_every_copy_has_expired(queued, caplog):
    queued.VARNISH_URLS = [f"http://127.0.0.1:{free_port()}"]
    long_ago = timezone.now() - timedelta(seconds=tasks.give_up_after() + 1)
    with caplog.at_level(logging.ERROR, logger="cms.page_cache"):
        tasks.purge_cache_tags.call(
            ["page:1"], tasks.purge_targets()[1:], long_ago.isoformat(), attempt=9
        )
    assert "abandoned after 9 attempts" in caplog.text
    assert not purge_tasks().exists()


def test_on_the_immediate_queue_the_purge_runs_in_the_request(
    settings, client, article_index, caplog, publish
):
    settings.VARNISH_URLS = [f"http://127.0.0.1:{free_port()}"]  # down
    article = ArticlePageFactory(parent=article_index)
    client.get(article.url)
    with caplog.at_level(logging.ERROR, logger="cms.page_cache"):
        publish(article)
    assert client.get(article.url)["X-Wagtail-Cache"] == "miss"
    assert "page cache purge FAILED at varnish:" in caplog.text
    assert not DBTaskResult.objects.exists()  # nothing queued, nothing to retry
