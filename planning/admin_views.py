"""The calendar's admin pages: the month/week view, a drop on a day (move a due
date or (re)schedule a page), a new iCal feed URL, and "Start writing"."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from cms.public_address import absolute_url

from . import calendar, services
from .forms import CalendarFilterForm, MoveForm
from .models import PlanItem
from .roles import is_editor, is_planner


def _planner_only(request) -> None:
    if not is_planner(request.user):
        raise PermissionDenied


def calendar_view(request):
    _planner_only(request)
    form = CalendarFilterForm(request.GET or None)
    valid = form.is_valid() if request.GET else True
    data = form.cleaned_data if request.GET and valid else {}
    today = timezone.localdate()
    focus = data.get("date") or today
    mode = data.get("view") or "month"
    if mode == "week":
        start, end = calendar.week_range(focus)
        step = datetime.timedelta(days=7)
        previous, following = focus - step, focus + step
        focus_month = None
    else:
        start, end = calendar.month_range(focus)
        first = focus.replace(day=1)
        previous = (first - datetime.timedelta(days=1)).replace(day=1)
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        focus_month = focus.month
    filters = calendar.Filters(
        author=data["author"].pk if data.get("author") else None,
        tag=data.get("tag") or "",
        status=data.get("status") or "",
    )
    days = (
        calendar.days(request.user, start, end, filters, focus_month) if valid else []
    )
    keep = request.GET.copy()
    keep.pop("date", None)
    new_token = request.session.pop("planning_new_feed_token", None)
    return TemplateResponse(
        request,
        "planning/calendar.html",
        {
            "page_title": _("Calendar"),
            "page_subtitle": (
                _("Week of %(day)s") % {"day": start.strftime("%-d %b %Y")}
                if mode == "week"
                else focus.strftime("%B %Y")
            ),
            "header_icon": "date",
            "form": form,
            "days": days,
            "weeks": [days[i : i + 7] for i in range(0, len(days), 7)],
            "mode": mode,
            "focus": focus,
            "previous": previous,
            "following": following,
            "query": keep.urlencode(),
            "lanes": calendar.LANES,
            "is_editor": is_editor(request.user),
            "feed_url": (
                # On the public address: calendar apps subscribe from outside.
                absolute_url(request, reverse("planning_feed", args=[new_token]))
                if new_token
                else ""
            ),
            "has_feed": hasattr(request.user, "calendar_feed_token"),
        },
        status=200 if valid else 400,
    )


def _reply(request, ok: bool, message: str, status: int = 200):
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"ok": ok, "message": message}, status=status)
    (messages.success if ok else messages.error)(request, message)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("planning_calendar")
    # Without JavaScript, the "Move to date" form: back to the calendar, where the
    # message says what happened (or why not).
    return redirect(back)


@require_POST
def move(request):
    """A drop on a day. kind=plan: the item's due date moves (Editors and its
    assignees). kind=page: the page goes live that day, as a new scheduled
    revision (only for who may publish it)."""
    _planner_only(request)
    form = MoveForm(request.POST)
    if not form.is_valid():
        problems = "; ".join(
            f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()
        )
        return _reply(request, False, _("Cannot move: %s") % problems, status=400)
    kind, pk, day = (form.cleaned_data[k] for k in ("kind", "pk", "date"))
    try:
        if kind == "plan":
            item = get_object_or_404(PlanItem.objects.visible_to(request.user), pk=pk)
            services.move_due(item=item, day=day, user=request.user)
            message = _("“%(title)s” is now due on %(day)s.") % {
                "title": item.title,
                "day": day.isoformat(),
            }
        else:
            page = get_object_or_404(Page, pk=pk)
            revision = services.schedule_page(
                page=page, day=day, user=request.user, at=form.cleaned_data["time"]
            )
            when = timezone.localtime(revision.approved_go_live_at)
            message = _("“%(title)s” is scheduled to go live on %(when)s.") % {
                "title": page.get_admin_display_title(),
                "when": when.strftime("%Y-%m-%d %H:%M"),
            }
    except PermissionDenied as denied:
        return _reply(
            request, False, str(denied) or _("You may not do that."), status=403
        )
    except ValidationError as invalid:
        return _reply(request, False, " ".join(invalid.messages), status=400)
    return _reply(request, True, message)


@require_POST
def new_feed_token(request):
    """A new secret feed URL, shown once on the calendar page."""
    _planner_only(request)
    request.session["planning_new_feed_token"] = services.regenerate_feed_token(
        request.user
    )
    messages.success(
        request, _("Your calendar feed has a new address; the old one stopped working.")
    )
    return redirect("planning_calendar")


def start_writing(request, pk: int):
    """GET: a confirmation (the header button is a link); POST: create the draft
    and open it in the editor."""
    _planner_only(request)
    item = get_object_or_404(PlanItem.objects.visible_to(request.user), pk=pk)
    if request.method != "POST":
        return TemplateResponse(request, "planning/start_writing.html", {"item": item})
    try:
        page = services.start_writing(item=item, user=request.user)
    except PermissionDenied as denied:
        messages.error(request, str(denied))
        return redirect("planning:edit", pk)
    return redirect("wagtailadmin_pages:edit", page.pk)
