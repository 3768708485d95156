"""Each person's iCal feed at /calendar/ical/<token>.ics."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from articles.coauthors import ArticleCoAuthor
from articles.factories import ArticlePageFactory
from planning import services
from planning.models import CalendarFeedToken

from .bulk import bulk_articles
from .conftest import COMPLETE_DESCRIPTION, at

pytestmark = pytest.mark.django_db


def feed(client, token):
    return client.get(f"/calendar/ical/{token}.ics")


def events(response) -> dict[str, dict]:
    cal = Calendar.from_ical(response.content)
    return {
        str(event["uid"]): {
            "summary": str(event["summary"]),
            "start": event.decoded("dtstart"),
            "url": str(event["url"]),
            "description": str(event.get("description", "")),
        }
        for event in cal.walk("VEVENT")
    }


def test_authors_feed(
    client, editor, author, idea, assignment, article_index, next_week
):
    mine = ArticlePageFactory(
        parent=article_index,
        author=author,
        title="Mine",
        live=False,
        tags=["rail"],
        search_description=COMPLETE_DESCRIPTION,
    )
    mine.save_revision()
    services.schedule_page(page=mine, day=next_week, user=editor)
    ArticlePageFactory(parent=article_index, title="Someone else's")
    recent = ArticlePageFactory(parent=article_index, author=author, title="Out")
    together = ArticlePageFactory(parent=article_index, title="Written together")
    ArticleCoAuthor.objects.create(article=together, user=author, sort_order=0)
    token = services.regenerate_feed_token(author)

    response = feed(client, token)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    found = events(response)
    assert set(found) == {
        f"planitem-{assignment.pk}@presswagon",
        f"scheduled-{mine.pk}@presswagon",
        f"published-{recent.pk}@presswagon",
        f"published-{together.pk}@presswagon",  # she co-authored it
    }
    due = found[f"planitem-{assignment.pk}@presswagon"]
    assert due["summary"] == "Due: Night trains return (Assigned)"
    assert due["start"] == at(next_week, 17)
    assert due["description"].startswith("The new sleeper line")
    assert due["url"] == f"http://testserver/admin/planning/edit/{assignment.pk}/"
    going = found[f"scheduled-{mine.pk}@presswagon"]
    assert going["summary"] == "Goes live: Mine"
    assert going["start"] == at(next_week, 9)
    assert going["url"] == f"http://testserver/admin/pages/{mine.pk}/edit/"


def test_uids_are_stable_when_dates_move(client, author, assignment, next_week):
    token = services.regenerate_feed_token(author)
    before = events(feed(client, token))
    services.move_due(
        item=assignment, day=next_week + datetime.timedelta(days=1), user=author
    )
    after = events(feed(client, token))
    assert set(before) == set(after)
    (uid,) = after
    assert after[uid]["start"] - before[uid]["start"] == datetime.timedelta(days=1)


def test_editors_feed_has_everything_scheduled(
    client, editor, author, article_index, next_week
):
    page = ArticlePageFactory(
        parent=article_index,
        author=author,
        live=False,
        tags=["rail"],
        search_description=COMPLETE_DESCRIPTION,
    )
    page.save_revision()
    services.schedule_page(page=page, day=next_week, user=editor)
    found = events(feed(client, services.regenerate_feed_token(editor)))
    assert f"scheduled-{page.pk}@presswagon" in found


def test_unknown_old_and_malformed_tokens_are_404(client, author):
    old = services.regenerate_feed_token(author)
    new = services.regenerate_feed_token(author)
    assert CalendarFeedToken.objects.count() == 1
    assert feed(client, old).status_code == 404
    assert feed(client, new).status_code == 200
    assert feed(client, "x" * 43).status_code == 404
    assert feed(client, "not a token").status_code == 404
    author.is_active = False
    author.save()
    assert feed(client, new).status_code == 404


def test_only_the_digest_is_stored(author):
    token = services.regenerate_feed_token(author)
    stored = CalendarFeedToken.objects.get(user=author)
    assert token not in stored.digest and len(stored.digest) == 64


def test_query_budget_at_10000_articles(client, editor, author, article_index):
    bulk_articles(article_index, 10_000, author, scheduled_every=100)
    token = services.regenerate_feed_token(author)
    # The token with its user (1), the user's groups (1), the assignments (1),
    # the scheduled revisions of her articles (1), her articles (1).
    with CaptureQueriesContext(connection) as queries:
        response = feed(client, token)
    assert response.status_code == 200
    assert len(queries) <= 5, [q["sql"][:100] for q in queries.captured_queries]
    found = events(response)
    assert sum(uid.startswith("scheduled-") for uid in found) == 100
    assert sum(uid.startswith("published-") for uid in found) == 24 * 90 - 1


def test_links_use_the_public_address(client, author, assignment, settings):
    settings.SITE_URL = "https://news.example.org"
    found = events(feed(client, services.regenerate_feed_token(author)))
    (event,) = found.values()
    assert event["url"].startswith("https://news.example.org/admin/planning/edit/")


def test_calendar_page_shows_a_new_feed_address_once(client, author, settings):
    settings.SITE_URL = "https://news.example.org"
    client.force_login(author)
    response = client.post("/admin/calendar/feed-token/", follow=True)
    html = response.content.decode()
    assert 'value="https://news.example.org/calendar/ical/' in html
    token = html.split("/calendar/ical/", 1)[1].split(".ics", 1)[0]
    assert feed(client, token).status_code == 200
    # Only now: the next visit shows no address (only its digest is kept).
    assert "/calendar/ical/" not in client.get("/admin/calendar/").content.decode()
