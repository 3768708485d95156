"""The calendar at /admin/calendar/: month and week views, the four lanes, the
filters, and a query count that does not grow with the archive."""

import datetime
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.coauthors import ArticleCoAuthor
from articles.factories import ArticlePageFactory
from articles.roles import byline_label
from planning import services
from planning.models import PlanItem

from .bulk import bulk_articles
from .conftest import COMPLETE_DESCRIPTION, at

pytestmark = pytest.mark.django_db

URL = "/admin/calendar/"


def lane(response, name: str) -> list[str]:
    return [
        entry.title for day in response.context["days"] for entry in day.lanes[name]
    ]


def test_month_view_is_the_current_month_by_default(client, editor):
    client.force_login(editor)
    response = client.get(URL)
    assert response.status_code == 200
    days = [day.date for day in response.context["days"]]
    assert len(days) % 7 == 0 and days[0].weekday() == 0
    assert timezone.localdate() in days
    assert response.context["mode"] == "month"


def test_week_view_and_navigation(client, editor):
    client.force_login(editor)
    response = client.get(URL, {"view": "week", "date": "2026-03-04"})
    days = [day.date for day in response.context["days"]]
    assert days == [datetime.date(2026, 3, 2) + datetime.timedelta(d) for d in range(7)]
    assert response.context["previous"] == datetime.date(2026, 2, 25)
    assert response.context["following"] == datetime.date(2026, 3, 11)
    assert b"date=2026-03-11" in response.content


def test_bad_input_is_a_400_not_an_error(client, editor):
    client.force_login(editor)
    for query in ({"date": "2026-13-45"}, {"view": "year"}, {"author": "x"}):
        assert client.get(URL, query).status_code == 400


def test_lanes(client, editor, author, idea, assignment, article_index, next_week):
    published = ArticlePageFactory(
        parent=article_index, title="Out already", published_at=at(next_week, 6)
    )
    expiring = ArticlePageFactory(
        parent=article_index, title="Ends soon", expire_at=at(next_week, 20)
    )
    draft = ArticlePageFactory(
        parent=article_index,
        title="Coming up",
        live=False,
        tags=["harbour"],
        search_description=COMPLETE_DESCRIPTION,
    )
    draft.save_revision()
    services.schedule_page(page=draft, day=next_week, user=editor)
    client.force_login(editor)
    response = client.get(URL, {"view": "week", "date": next_week.isoformat()})
    # Never-saved ideas are planned too.
    assert lane(response, "planned") == ["Harbour dredging plan", "Night trains return"]
    assert lane(response, "scheduled") == ["Coming up"]
    assert lane(response, "expiring") == [expiring.title]
    assert lane(response, "published") == [published.title]
    html = response.content.decode()
    assert f'data-date="{next_week.isoformat()}"' in html
    assert "Move to date" in html


def test_authors_see_only_their_assignments(
    client, author, idea, assignment, next_week
):
    client.force_login(author)
    response = client.get(URL, {"view": "week", "date": next_week.isoformat()})
    assert lane(response, "planned") == ["Night trains return"]


def test_filters(client, editor, author, idea, assignment, article_index, next_week):
    ArticlePageFactory(
        parent=article_index,
        title="Tagged",
        tags=["transport"],
        published_at=at(next_week, 6),
    )
    ArticlePageFactory(
        parent=article_index, title="Untagged", published_at=at(next_week, 7)
    )
    client.force_login(editor)
    week = {"view": "week", "date": next_week.isoformat()}
    response = client.get(URL, {**week, "status": "idea"})
    assert lane(response, "planned") == ["Harbour dredging plan"]
    response = client.get(URL, {**week, "author": author.pk})
    assert lane(response, "planned") == ["Night trains return"]
    assert lane(response, "published") == []  # the factory's authors are others
    response = client.get(URL, {**week, "tag": "transport"})
    assert lane(response, "published") == ["Tagged"]
    assert lane(response, "planned") == []  # ideas have no tags yet


def test_the_author_filter_includes_co_authored_articles(
    client, editor, author, article_index, next_week
):
    shared = ArticlePageFactory(
        parent=article_index, title="Written together", published_at=at(next_week, 6)
    )
    ArticleCoAuthor.objects.create(article=shared, user=author, sort_order=0)
    ArticlePageFactory(
        parent=article_index, title="Hers", author=author, published_at=at(next_week)
    )
    client.force_login(editor)
    week = {"view": "week", "date": next_week.isoformat(), "author": author.pk}
    response = client.get(URL, week)
    assert sorted(lane(response, "published")) == ["Hers", "Written together"]
    # Each entry credits the whole byline, lead first, as the article does.
    (entry,) = [
        entry
        for day in response.context["days"]
        for entry in day.lanes["published"]
        if entry.title == "Written together"
    ]
    assert entry.people == [byline_label(shared.author), byline_label(author)]


def test_menu_item_for_authors_and_editors(client, author, django_user_model):
    client.force_login(author)
    assert b'href="/admin/calendar/"' in client.get("/admin/").content


def _count_queries(client, url, query) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, query).status_code == 200
    return len(queries)


def _plan(editor, author, count):
    for n in range(count):
        # All due today, so all in the month shown, whatever the date.
        noon = timezone.localtime().replace(hour=12, minute=0)
        item = PlanItem.objects.create(
            title=f"Plan {n}", due=noon + datetime.timedelta(minutes=n)
        )
        item.assignees.set([author])


def _mid_month() -> datetime.datetime:
    """Noon on the 15th of this month: articles published in the hours before it
    and scheduled in the days after stay in the month shown, even when the
    suite runs on the 1st or the 31st (it once ran at 00:21 on the 1st)."""
    return timezone.localtime().replace(day=15, hour=12, minute=0, second=0)


def test_query_count_does_not_grow_with_articles(client, editor, author, article_index):
    """5 then 50 articles (and assignments), scheduled, expiring and published in
    the month shown: the same number of queries."""
    client.force_login(editor)
    anchor = _mid_month()
    query = {"view": "month", "date": anchor.date().isoformat()}
    bulk_articles(article_index, 5, author, scheduled_every=2, now=anchor)
    _plan(editor, author, 2)
    few = _count_queries(client, URL, query)
    assert len(lane(client.get(URL, query), "published")) == 5
    bulk_articles(article_index, 45, author, scheduled_every=2, first=5, now=anchor)
    _plan(editor, author, 18)
    many = _count_queries(client, URL, query)
    assert few == many


def test_query_budget_at_10000_articles(
    client, editor, author, article_index, django_assert_max_num_queries
):
    anchor = _mid_month()
    bulk_articles(article_index, 10_000, author, scheduled_every=100, now=anchor)
    _plan(editor, author, 30)
    client.force_login(editor)
    started = time.monotonic()
    # The session and its user (2); the admin's permission checks: the user's
    # model permissions (2), profile (1), locale (1), page and collection
    # permissions for the menu (3), the article index the Pages menu opens on
    # (1, newsroom/explorer_start.py); the user's groups for the planning roles
    # (1); planned items (1) and their assignees (1); scheduled revisions (1)
    # and their articles (1); expiring (1); published (1); the feed token (1);
    # the filter form's people (1).
    with django_assert_max_num_queries(19):
        response = client.get(URL, {"date": anchor.date().isoformat()})
    assert response.status_code == 200
    # An hour apart up to noon on the 15th: at least the 348 hours since the 1st.
    assert len(lane(response, "published")) >= 348
    assert len(lane(response, "planned")) == 30
    assert time.monotonic() - started < 20
