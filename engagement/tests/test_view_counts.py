"""View counting: a beacon from the (cached) page, buffered, flushed in batches."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client

from articles.factories import ArticlePageFactory
from engagement import view_counts
from engagement.models import DailyPageViews
from engagement.signals import page_viewed

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36"


@pytest.fixture(autouse=True)
def _empty_buffer_and_no_flush_due():
    """Tests flush explicitly; a test that wants a flush to fall due deletes the
    flush lock (as if VIEW_FLUSH_INTERVAL had passed)."""
    view_counts.get_buffer().drain()
    cache.add(view_counts.FLUSH_LOCK_KEY, 1, 600)
    yield
    view_counts.get_buffer().drain()


def another_reader(n: int) -> dict:
    return {"REMOTE_ADDR": f"10.0.{n // 250}.{n % 250 + 1}"}


@pytest.fixture
def article(article_index):
    return ArticlePageFactory(parent=article_index)


def beacon(client, page_id, user_agent=BROWSER, **extra):
    return client.post(
        f"/reader/pages/{page_id}/view/", HTTP_USER_AGENT=user_agent, **extra
    )


def stored_views(article) -> int:
    return sum(
        DailyPageViews.objects.filter(page=article).values_list("views", flat=True)
    )


def flush_now() -> int:
    cache.delete(view_counts.FLUSH_LOCK_KEY)
    return view_counts.flush()


def test_view_of_a_cached_page_is_counted(article):
    reader = Client()
    reader.get(article.url)
    page = reader.get(article.url)
    assert page["X-Wagtail-Cache"] == "hit"
    assert f'data-view-beacon="/reader/pages/{article.pk}/view/"' in (
        page.content.decode()
    )
    assert beacon(reader, article.pk).status_code == 204
    assert flush_now() == 1
    assert stored_views(article) == 1


def test_repeat_views_by_one_reader_count_once(article):
    reader = Client()
    for _ in range(5):
        assert beacon(reader, article.pk).status_code == 204
    assert "pw_reader" in reader.cookies
    flush_now()
    assert stored_views(article) == 1


def test_readers_without_cookies_are_told_apart_by_address(article):
    for address in ("10.0.0.1", "10.0.0.1", "10.0.0.2"):
        beacon(Client(), article.pk, REMOTE_ADDR=address)
    flush_now()
    assert stored_views(article) == 2


def test_changing_the_browser_does_not_make_a_new_reader(article):
    """Cookieless views were told apart by address and User-Agent: a script
    rotating its User-Agent counted 120 views a minute."""
    for n in range(20):
        beacon(Client(), article.pk, user_agent=f"{BROWSER} v{n}")
    flush_now()
    assert stored_views(article) == 1


def test_minted_tokens_run_out_per_address(article, settings):
    """A script can collect a token per view, and count a view per token, only
    as many times as its address may be given new tokens."""
    settings.READER_TOKEN_RATE_LIMIT = "5/3600"
    cookies = []
    for _ in range(20):
        collector = Client()
        beacon(collector, article.pk)
        if "pw_reader" in collector.cookies:
            cookies.append(collector.cookies["pw_reader"].value)
    assert len(cookies) == 5
    for cookie in cookies:
        replay = Client()
        replay.cookies["pw_reader"] = cookie
        beacon(replay, article.pk)
    flush_now()
    assert stored_views(article) == 1  # the tokens were marked as seen when given


def test_different_readers_each_count(article):
    for n in range(3):
        beacon(Client(), article.pk, **another_reader(n))
    flush_now()
    assert stored_views(article) == 3


@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
        "facebookexternalhit/1.1",
        "curl/8.5.0",
        "python-requests/2.32",
        "",
    ],
)
def test_bots_are_not_counted(article, user_agent):
    assert beacon(Client(), article.pk, user_agent=user_agent).status_code == 204
    assert flush_now() == 0


def test_each_counted_view_sends_page_viewed(article):
    received = []

    def receiver(sender, page_id, user, **kwargs):
        received.append((page_id, user))

    page_viewed.connect(receiver)
    try:
        reader = Client()
        beacon(reader, article.pk)
        beacon(reader, article.pk)  # a repeat: not counted, not sent
        beacon(Client(), article.pk, user_agent="Googlebot", **another_reader(1))
    finally:
        page_viewed.disconnect(receiver)
    assert received == [(article.pk, None)]


def test_counting_a_view_writes_nothing_to_the_database(
    article, django_assert_num_queries
):
    beacon(Client(), article.pk)  # caches the published-article lookup
    with django_assert_num_queries(0):
        for n in range(1, 21):
            assert beacon(Client(), article.pk, **another_reader(n)).status_code == 204
    assert flush_now() == 21


def test_flushes_add_up_in_one_row_per_article_and_day(article, article_index):
    other = ArticlePageFactory(parent=article_index)
    for n in range(3):
        beacon(Client(), article.pk, **another_reader(n))
    flush_now()
    beacon(Client(), article.pk, **another_reader(3))
    beacon(Client(), other.pk)
    flush_now()
    assert DailyPageViews.objects.count() == 2
    assert (stored_views(article), stored_views(other)) == (4, 1)


def test_a_view_after_the_interval_flushes(article):
    beacon(Client(), article.pk, **another_reader(1))
    beacon(Client(), article.pk, **another_reader(2))
    assert stored_views(article) == 0  # buffered
    cache.delete(view_counts.FLUSH_LOCK_KEY)  # the interval passes
    beacon(Client(), article.pk, **another_reader(3))
    assert stored_views(article) == 3


def test_scheduler_pass_flushes_pending_views(article):
    beacon(Client(), article.pk, **another_reader(1))
    beacon(Client(), article.pk, **another_reader(2))
    cache.delete(view_counts.FLUSH_LOCK_KEY)
    call_command("run_scheduler", "--once")
    assert stored_views(article) == 2


def test_failed_flush_keeps_the_counts_for_the_next(article, monkeypatch):
    for n in range(3):
        beacon(Client(), article.pk, **another_reader(n))

    def database_down(*args, **kwargs):
        raise OperationalError("server closed the connection")

    with monkeypatch.context() as patched:
        patched.setattr(DailyPageViews.objects, "filter", database_down)
        with pytest.raises(OperationalError):
            flush_now()
    assert flush_now() == 3
    assert stored_views(article) == 3


def test_beacon_for_unknown_or_unpublished_article_is_404(article):
    assert beacon(Client(), 999999).status_code == 404
    article.unpublish()
    assert beacon(Client(), article.pk).status_code == 404


def test_beacon_only_takes_post(client, article):
    assert client.get(f"/reader/pages/{article.pk}/view/").status_code == 405


def test_beacon_flood_gets_429(article, settings):
    settings.VIEW_BEACON_RATE_LIMIT = "3/60"
    statuses = [
        beacon(Client(), article.pk).status_code for _ in range(4)
    ]  # one client
    assert statuses == [204, 204, 204, 429]
