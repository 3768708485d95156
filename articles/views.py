"""Reader endpoints beside the (cached, read-only) article pages.

Article pages are cached and only answer GET, so what readers send goes to these
small, never-cached views: comments, ratings and the view beacon. With JavaScript
the page's forms post here and get JSON; without it, the article links to the
respond page, an ordinary form page with its own CSRF token.
"""

import hashlib
import logging
import re
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db.models import Avg, Count
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from cms.middleware.database_retry import retry_safe
from cms.rate_limit import Rate, allow, client_id

from .forms import CommentForm, RatingForm
from .listing_cache import cached_ids
from .models import ArticlePage, Rating
from .reader import COOKIE_NAME as READER_COOKIE
from .reader import reader_token, remember_reader
from .services import comment_submit, rating_set
from .signals import article_viewed
from .view_counts import record_view

logger = logging.getLogger("articles.reader")

# Crawlers, link previewers and scripts: their fetches are not reader views.
BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|preview|monitor|"
    r"curl|wget|python|httpclient|okhttp|go-http|java/|libwww|scrapy|^$",
    re.IGNORECASE,
)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _published_article(article_id: int) -> ArticlePage:
    return get_object_or_404(
        ArticlePage.objects.published().only("pk", "title", "url_path"), pk=article_id
    )


def _too_large(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > settings.READER_POST_MAX_BYTES


def _respond_page(request, article, status=200, **context):
    context.setdefault(
        "comment_form", CommentForm(initial={"submission_key": uuid.uuid4()})
    )
    context.setdefault("rating_form", RatingForm())
    return render(
        request, "articles/respond.html", {"article": article, **context}, status=status
    )


def _refusal(request, article, status: int, message: str):
    """A 400 or 429 the reader can read, in JSON or on the respond page."""
    if _wants_json(request):
        response = JsonResponse({"error": message}, status=status)
    else:
        response = _respond_page(request, article, status=status, error=message)
    if status == 429:
        response["Retry-After"] = "60"
    return response


def _refuse_oversized_or_flood(request, article, scope: str, rate: str):
    """A 400 for an oversized request, a 429 past the client's rate, else None.
    Checked before the form is read, so floods of junk count too."""
    if _too_large(request):
        return _refusal(request, article, 400, _("That is too long to send."))
    if not allow(request, scope, Rate.parse(rate)):
        return _refusal(request, article, 429, _("Too many at once; please wait."))
    return None


def _sent(request, article, what: str, payload: dict, status: int = 200):
    if _wants_json(request):
        return JsonResponse(payload, status=status)
    url = reverse("articles:respond", args=[article.pk])
    return HttpResponseRedirect(f"{url}?sent={what}")


@never_cache
@require_GET
def respond(request, article_id: int):
    """The no-JavaScript home of the comment and rating forms."""
    article = _published_article(article_id)
    sent = request.GET.get("sent")
    return _respond_page(
        request, article, sent=sent if sent in {"comment", "rating"} else None
    )


@retry_safe(when=lambda request: bool(request.POST.get("submission_key")))
@never_cache
@require_POST
def post_comment(request, article_id: int):
    article = _published_article(article_id)
    refusal = _refuse_oversized_or_flood(
        request, article, "comment", settings.COMMENT_RATE_LIMIT
    )
    if refusal is not None:
        return refusal
    form = CommentForm(request.POST)
    if not form.is_valid():
        if _wants_json(request):
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        return _respond_page(request, article, status=400, comment_form=form)
    if form.is_bot:
        # Fake success: a bot learns nothing from the answer.
        logger.info("comment honeypot filled from %s", _hashed(client_id(request)))
    else:
        data = form.cleaned_data
        comment_submit(
            article=article,
            name=data["name"],
            email=data["email"],
            body=data["body"],
            submission_key=data["submission_key"],
        )
    message = _("Thank you: your comment will appear once an editor approves it.")
    return _sent(
        request, article, "comment", {"status": "pending", "message": message}, 201
    )


@retry_safe()  # re-rating replaces: running twice gives the same rating
@never_cache
@require_POST
def post_rating(request, article_id: int):
    article = _published_article(article_id)
    refusal = _refuse_oversized_or_flood(
        request, article, "rating", settings.RATING_RATE_LIMIT
    )
    if refusal is not None:
        return refusal
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _refusal(request, article, 400, _("Choose a rating from 1 to 5."))
    score = form.cleaned_data["score"]
    rating_set(article=article, reader=reader_token(request), score=score)
    stats = Rating.objects.filter(article=article).aggregate(
        average=Avg("score"), count=Count("pk")
    )
    payload = {
        "score": score,
        "average": round(stats["average"], 1),
        "count": stats["count"],
    }
    return remember_reader(request, _sent(request, article, "rating", payload))


def _hashed(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def _is_published(article_id: int) -> bool:
    return bool(
        cached_ids(
            f"published:{article_id}",
            lambda: (
                ArticlePage.objects.published()
                .filter(pk=article_id)
                .values_list("pk", flat=True)
            ),
        )
    )


@csrf_exempt  # a beacon carries no token; it can only count a view, once
@never_cache
@require_POST
def view_beacon(request, article_id: int):
    """Count a reader's view of an article (sent by the page, so cached pages
    count too). Bots and repeat views within VIEW_DEDUPE_WINDOW are not counted."""
    if BOT_USER_AGENT.search(request.headers.get("User-Agent", "")):
        return HttpResponse(status=204)
    if not allow(request, "view", Rate.parse(settings.VIEW_BEACON_RATE_LIMIT)):
        return HttpResponse(status=429, headers={"Retry-After": "60"})
    if not _is_published(article_id):
        return HttpResponse(status=404)
    # A reader is their cookie's token; one without (a first visit, or cookies
    # refused) is their address and browser, and the token they are given now
    # is marked as having seen the article too.
    had_cookie = READER_COOKIE in request.COOKIES
    address = f"{client_id(request)}|{request.headers.get('User-Agent', '')}"
    who = reader_token(request) if had_cookie else address
    if _first_view(article_id, who):
        if not had_cookie:
            _first_view(article_id, reader_token(request))
        if record_view(article_id):
            user = request.user if request.user.is_authenticated else None
            article_viewed.send(sender=ArticlePage, article_id=article_id, user=user)
    return remember_reader(request, HttpResponse(status=204))


def _first_view(article_id: int, reader: str) -> bool:
    """True once per reader and article within VIEW_DEDUPE_WINDOW."""
    key = f"articles:viewed:{article_id}:{_hashed(reader)}"
    return bool(cache.add(key, 1, settings.VIEW_DEDUPE_WINDOW))
