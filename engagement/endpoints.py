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
from cms.page_cache import page_tag
from cms.page_cache.derived import cached_ids
from cms.rate_limit import Rate, allow, allow_key

from .forms import CommentForm, RatingForm
from .pages import accepts
from .reader_token import existing_reader_token, issue_reader_token, remember_reader
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
    # A page view like any other: readers without JavaScript rate from here.
    issue_reader_token(request)
    response = _respond_page(
        request, page, sent=sent if sent in {"comment", "rating"} else None
    )
    return remember_reader(request, response)


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
    # Only a reader who viewed a page lately holds a fresh token: a script that
    # only posts has none, and each token holds one rating per page.
    reader = existing_reader_token(request, max_age=settings.RATING_TOKEN_MAX_AGE)
    if reader is None:
        return _refusal(
            request, page, 403, _("Please read the page first, then rate it.")
        )
    if not allow_key(f"rating-token:{reader}", Rate.parse(settings.RATING_RATE_LIMIT)):
        return _refusal(request, page, 429, _("Too many at once; please wait."))
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _refusal(request, page, 400, _("Choose a rating from 1 to 5."))
    score = form.cleaned_data["score"]
    rating_set(page=page, reader=reader, score=score)
    payload = {"score": score, **rating_summary(page.pk)}
    return _sent(request, page, "rating", payload)


def _hashed(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def _open_for(page_id: int, capability: str) -> bool:
    """Whether readers may send the page `capability` ("view", "rating"); cached
    until the next content change, so a beacon costs no query."""

    def build() -> list[int]:
        page = Page.objects.live().public().filter(pk=page_id).specific().first()
        return [page_id] if page is not None and accepts(page, capability) else []

    name = f"engagement:open-for-{capability}:{page_id}"
    # Publishing, unpublishing and view restrictions purge the page's tag.
    return bool(cached_ids(name, build, depends_on=[page_tag(page_id)]))


# A re-run counts nothing twice: its dedupe keys are set by the first run, and its
# only database work is reading whether the page takes views.
@retry_safe()
@csrf_exempt  # a beacon carries no token; it can only count a view, once
@never_cache
@require_POST
def view_beacon(request, page_id: int):
    """Count a reader's view of a page (sent by the page, so cached pages count
    too), and give the reader their token (reader_token.py). Bots and repeat views
    within VIEW_DEDUPE_WINDOW are not counted."""
    if BOT_USER_AGENT.search(request.headers.get("User-Agent", "")):
        return HttpResponse(status=204)
    if not allow(request, "view", Rate.parse(settings.VIEW_BEACON_RATE_LIMIT)):
        return HttpResponse(status=429, headers={"Retry-After": "60"})
    counts = _open_for(page_id, "view")
    if not counts and not _open_for(page_id, "rating"):
        return HttpResponse(status=404)
    if counts:
        _count_view(request, page_id)
    issue_reader_token(request)
    return remember_reader(request, HttpResponse(status=204))


def _count_view(request, page_id: int) -> None:
    # A reader is their cookie's token; one without (a first visit, cookies
    # refused, or a script) is their address, whatever browser it claims to be,
    # and the token they are given now is marked as having seen the page too.
    token = existing_reader_token(request)
    if token is not None:
        first = _first_view(page_id, token)
    else:
        first = _first_view(page_id, client_address(request))
        # Marked whether or not the address's view counted: a token collected
        # here must not count this page again.
        if (new_token := issue_reader_token(request)) is not None:
            _first_view(page_id, new_token)
    if first and record_view(page_id):
        user = request.user if request.user.is_authenticated else None
        page_viewed.send(sender=Page, page_id=page_id, user=user)


def _first_view(page_id: int, reader: str) -> bool:
    """True once per reader and page within VIEW_DEDUPE_WINDOW."""
    key = f"engagement:viewed:{page_id}:{_hashed(reader)}"
    return bool(cache.add(key, 1, settings.VIEW_DEDUPE_WINDOW))
