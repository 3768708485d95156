"""Each person's iCal feed at a secret URL, for calendar apps to subscribe to.

Contents: the due dates of their assignments, and the scheduled, expiring and
published (last 90 days) dates of their articles; an Editor's feed has every
scheduled and expiring article. Each event's UID is stable per item and lane, so
a calendar app updates an event when its date moves instead of adding one.
Five queries whatever the number of articles: the token, its user's groups, the
assignments, the scheduled revisions, the articles.
"""

import datetime

from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event
from wagtail.models import Revision

from articles.models import ArticlePage
from cms.public_address import absolute_url

from . import tokens
from .models import CalendarFeedToken, PlanItem
from .roles import is_editor

PUBLISHED_DAYS = 90
EVENT_LENGTH = datetime.timedelta(minutes=30)
UID_DOMAIN = "presswagon"


def _event(uid: str, summary: str, start, url: str, description: str = "") -> Event:
    event = Event()
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start)
    event.add("dtend", start + EVENT_LENGTH)
    event.add("summary", summary)
    event.add("url", url)
    if description:
        event.add("description", description)
    return event


def build_calendar(user, absolute) -> Calendar:
    """`absolute` turns a path into a URL the calendar app can open."""
    cal = Calendar()
    cal.add("prodid", "-//Presswagon//Editorial calendar//EN")
    cal.add("version", "2.0")
    cal.add(
        "x-wr-calname", f"Presswagon: {user.get_full_name() or user.get_username()}"
    )
    now = timezone.now()

    for item in PlanItem.objects.assigned_to(user).filter(due__isnull=False):
        cal.add_component(
            _event(
                f"planitem-{item.pk}",
                f"Due: {item.title} ({item.get_status_display()})",
                item.due,
                absolute(reverse("planning:edit", args=[item.pk])),
                item.brief,
            )
        )

    editor = is_editor(user)
    mine = ArticlePage.objects.all()
    if not editor:
        # Led, co-authored or owned (who started it).
        mine = mine.filter(Q(pk__in=mine.by_author(user).values("pk")) | Q(owner=user))
    scheduled = dict(
        Revision.page_revisions.filter(
            approved_go_live_at__gte=now,
            object_id__in=mine.annotate(pk_text=Cast("pk", CharField())).values(
                "pk_text"
            ),
        ).values_list("object_id", "approved_go_live_at")
    )
    scheduled = {int(pk): at for pk, at in scheduled.items()}
    recent = now - datetime.timedelta(days=PUBLISHED_DAYS)
    lanes = Q(pk__in=scheduled) | Q(expire_at__gte=now)
    if not editor:
        lanes |= Q(live=True, published_at__gte=recent)
    for page in mine.filter(lanes).only(
        "pk", "title", "draft_title", "expire_at", "published_at", "live"
    ):
        url = absolute(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        title = page.draft_title or page.title
        if page.pk in scheduled:
            cal.add_component(
                _event(
                    f"scheduled-{page.pk}",
                    f"Goes live: {title}",
                    scheduled[page.pk],
                    url,
                )
            )
        if page.expire_at and page.expire_at >= now:
            cal.add_component(
                _event(f"expiring-{page.pk}", f"Expires: {title}", page.expire_at, url)
            )
        if (
            not editor
            and page.live
            and page.published_at
            and page.published_at >= recent
        ):
            cal.add_component(
                _event(
                    f"published-{page.pk}",
                    f"Published: {title}",
                    page.published_at,
                    url,
                )
            )
    return cal


def ical_feed(request, token: str):
    if not tokens.looks_like_a_token(token):
        raise Http404
    feed_token = (
        CalendarFeedToken.objects.filter(
            digest=tokens.digest(token), user__is_active=True
        )
        .select_related("user")
        .first()
    )
    if feed_token is None:
        raise Http404
    # Links on the public address (SITE_URL), not the Host a proxy passed on.
    cal = build_calendar(
        feed_token.user, lambda location: absolute_url(request, location)
    )
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    # A personal feed: never in a shared cache, never stored.
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="presswagon.ics"'
    return response
