"""Reader endpoints beside the (cached, read-only) pages.

Pages are cached and only answer GET, so what readers send goes to these small,
never-cached views: comments, ratings and the view beacon. With JavaScript the
page's forms post here and get JSON; without it, the page links to the respond
page, an ordinary form page with its own CSRF token.

Each endpoint takes a page id and answers 404 unless the page is live, public,
of a type that opts in to that kind of engagement (engagement.pages), and open
to readers now.
"""

import hashlib
import logging
import re
import uuid

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Page

from cms.client_address import client_address
from cms.middleware.database_retry import retry_safe
from cms.page_cache.derived import cached_ids
from cms.rate_limit import Rate, allow

from .forms import CommentForm, RatingForm
from .pages import accepts
from .reader_token import COOKIE_NAME as READER_COOKIE
from .reader_token import reader_token, remember_reader
from .selectors import rating_summary
from .services import comment_submit, rating_set
from .signals import page_viewed
from .view_counts import record_view

logger = logging.getLogger("engagement.reader")

# Crawlers, link previewers and scripts: their fetches are not reader views.
BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|preview|monitor|"
    r"curl|wget|python|httpclient|okhttp|go-http|java/|libwww|scrapy|^$",
    re.IGNORECASE,
)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _open_page(page_id: int, *capabilities: str) -> Page:
    """The specific page readers may send any of `capabilities` to, else 404."""
    page = Page.objects.live().public().filter(pk=page_id).specific().first()
    if page is None or not any(accepts(page, c) for c in capabilities):
        raise Http404("No such page")
    return page


def _too_large(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > settings.READER_POST_MAX_BYTES


def _respond_page(request, page, status=200, **context):
    if page.accepts_comments:
        context.setdefault(
            "comment_form", CommentForm(initial={"submission_key": uuid.uuid4()})
        )
    if page.accepts_ratings:
        context.setdefault("rating_form", RatingForm())
    return render(
        request, "engagement/respond.html", {"page": page, **context}, status=status
    )


def _refusal(request, page, status: int, message: str):
    """A 400 or 429 the reader can read, in JSON or on the respond page."""
    if _wants_json(request):
        response = JsonResponse({"error": message}, status=status)
    else:
        response = _respond_page(request, page, status=status, error=message)
    if status == 429:
        response["Retry-After"] = "60"
    return response


RATE_LIMITS = {"comment": "COMMENT_RATE_LIMIT", "rating": "RATING_RATE_LIMIT"}


def _open_page_or_refusal(request, page_id: int, capability: str):
    """The page (404 if readers may not send it this), and a 400 for an oversized
    request or a 429 past the client's rate, else None. Checked before the form
    is read, so floods of junk count too."""
    page = _open_page(page_id, capability)
    rate = Rate.parse(getattr(settings, RATE_LIMITS[capability]))
    if _too_large(request):
        return page, _refusal(request, page, 400, _("That is too long to send."))
    if not allow(request, capability, rate):
        return page, _refusal(request, page, 429, _("Too many at once; please wait."))
    return page, None


def _sent(request, page, what: str, payload: dict, status: int = 200):
    if _wants_json(request):
        return JsonResponse(payload, status=status)
    url = reverse("engagement:respond", args=[page.pk])
    return HttpResponseRedirect(f"{url}?sent={what}")


@never_cache
@require_GET
def respond(request, page_id: int):
    """The no-JavaScript home of the comment and rating forms."""
    page = _open_page(page_id, "comment", "rating")
    sent = request.GET.get("sent")
    return _respond_page(
        request, page, sent=sent if sent in {"comment", "rating"} else None
    )


@retry_safe(when=lambda request: bool(request.POST.get("submission_key")))
@never_cache
@require_POST
def post_comment(request, page_id: int):
    page, refusal = _open_page_or_refusal(request, page_id, "comment")
    if refusal is not None:
        return refusal
    form = CommentForm(request.POST)
    if not form.is_valid():
        if _wants_json(request):
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        return _respond_page(request, page, status=400, comment_form=form)
    if form.is_bot:
        # Fake success: a bot learns nothing from the answer.
        logger.info("comment honeypot filled from %s", _hashed(client_address(request)))
    else:
        data = form.cleaned_data
        comment_submit(
            page=page,
            name=data["name"],
            email=data["email"],
            body=data["body"],
            submission_key=data["submission_key"],
        )
    message = _("Thank you: your comment will appear once an editor approves it.")
    return _sent(
        request, page, "comment", {"status": "pending", "message": message}, 201
    )


@retry_safe()  # re-rating replaces: running twice gives the same rating
@never_cache
@require_POST
def post_rating(request, page_id: int):
    page, refusal = _open_page_or_refusal(request, page_id, "rating")
    if refusal is not None:
        return refusal
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _refusal(request, page, 400, _("Choose a rating from 1 to 5."))
    score = form.cleaned_data["score"]
    rating_set(page=page, reader=reader_token(request), score=score)
    payload = {"score": score, **rating_summary(page.pk)}
    return remember_reader(request, _sent(request, page, "rating", payload))


def _hashed(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def _counts_views(page_id: int) -> bool:
    """Whether views of the page count; cached until the next content change, so
    a beacon costs no query."""

    def build() -> list[int]:
        page = Page.objects.live().public().filter(pk=page_id).specific().first()
        return [page_id] if page is not None and accepts(page, "view") else []

    return bool(cached_ids(f"engagement:counts-views:{page_id}", build))


@csrf_exempt  # a beacon carries no token; it can only count a view, once
@never_cache
@require_POST
def view_beacon(request, page_id: int):
    """Count a reader's view of a page (sent by the page, so cached pages count
    too). Bots and repeat views within VIEW_DEDUPE_WINDOW are not counted."""
    if BOT_USER_AGENT.search(request.headers.get("User-Agent", "")):
        return HttpResponse(status=204)
    if not allow(request, "view", Rate.parse(settings.VIEW_BEACON_RATE_LIMIT)):
        return HttpResponse(status=429, headers={"Retry-After": "60"})
    if not _counts_views(page_id):
        return HttpResponse(status=404)
    # A reader is their cookie's token; one without (a first visit, or cookies
    # refused) is their address and browser, and the token they are given now
    # is marked as having seen the page too.
    had_cookie = READER_COOKIE in request.COOKIES
    address = f"{client_address(request)}|{request.headers.get('User-Agent', '')}"
    who = reader_token(request) if had_cookie else address
    if _first_view(page_id, who):
        if not had_cookie:
            _first_view(page_id, reader_token(request))
        if record_view(page_id):
            user = request.user if request.user.is_authenticated else None
            page_viewed.send(sender=Page, page_id=page_id, user=user)
    return remember_reader(request, HttpResponse(status=204))


def _first_view(page_id: int, reader: str) -> bool:
    """True once per reader and page within VIEW_DEDUPE_WINDOW."""
    key = f"engagement:viewed:{page_id}:{_hashed(reader)}"
    return bool(cache.add(key, 1, settings.VIEW_DEDUPE_WINDOW))
