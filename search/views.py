"""Reader search over published articles, and title suggestions as you type.

Input is hardened before it reaches the search backend (cms/search_input.py:
control characters dropped, at most 20 words and 200 characters); anything the
backend still refuses is answered as "no results", never a 500.
"""

import hashlib
import logging
import re
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from taggit.models import Tag
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.search.backends import get_search_backend
from wagtail.search.utils import normalise_query_string

from articles.models import ArticlePage
from cms.client_address import client_address
from cms.page_cache import add_cache_tags, page_tag
from cms.page_cache.derived import generation_key
from cms.pagination import paginate
from cms.search_input import clean_query
from engagement.reader_token import existing_reader_token

from .query_stats import record_search

logger = logging.getLogger("search")

SUGGESTIONS = 8
SUGGESTION_TIMEOUT = 60 * 10
TAG_SLUG = re.compile(r"[-\w]{1,100}")
# Wagtail's PostgreSQL autocomplete splits the query on spaces and hyphens: a
# query of nothing else (?q=--) has no term, and the backend raised
# AttributeError (a 500). Such a query has nothing to complete.
COMPLETABLE = re.compile(r"[^\s-]")


def _tag_filter(request) -> Tag | None:
    """The tag to narrow by; a value that is not a known slug is a 404."""
    slug = request.GET.get("tag", "")
    if not slug:
        return None
    if not TAG_SLUG.fullmatch(slug):  # NUL would make PostgreSQL refuse the query
        raise Http404("No such tag")
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        raise Http404("No such tag")
    return tag


def _search(articles, query: str):
    """Search results, or None when the backend refuses the query."""
    results = articles.search(query)
    try:
        results.count()  # runs the query: a refusal shows here, not in the template
    except (DatabaseError, RecursionError, ValueError):
        logger.warning("search backend refused query %r", query[:80], exc_info=True)
        return None
    return results


@require_GET
def search(request):
    query, shortened = clean_query(request.GET.get("q", ""))
    tag = _tag_filter(request)
    context = {"query": query, "shortened": shortened, "tag": tag, "results": None}
    context["pagination_query"] = urlencode(
        {"q": query, **({"tag": tag.slug} if tag else {})}
    )
    if query:
        # The page's rows are loaded for their cards after the search picks them:
        # annotated in the search query itself, the engagement figures were
        # worked out for every match the ranking sorts (all of them, for a common
        # word), not for the ten shown.
        articles = ArticlePage.objects.published()
        if tag is not None:
            articles = articles.filter(
                pk__in=ArticlePage.objects.tagged(tag.slug).values("pk")
            )
        results = _search(articles, query)
        # How many matches the backend ranks at most (search/postgres_backend.py):
        # a count that reaches it says "at least".
        backend = get_search_backend()
        context["ranked_matches"] = getattr(backend, "ranked_matches", None)
        if results is not None:
            context["results"] = found = paginate(request, results)
            chosen = [article.pk for article in found]
            loaded = ArticlePage.objects.filter(pk__in=chosen).for_listing().in_bulk()
            found.object_list = [loaded[pk] for pk in chosen if pk in loaded]
            add_cache_tags(request, *(page_tag(article.pk) for article in found))
            # Tags of the results shown, to narrow the search (prefetched: no query).
            context["result_tags"] = sorted(
                {tag for article in found for tag in article.tags.all()},
                key=lambda tag: tag.name,
            )
            if found.number == 1:
                context["promotions"] = promotions_for(query)
        reader = existing_reader_token(request) or client_address(request)
        record_search(query, reader)
    return render(request, "search/search.html", context)


def promotions_for(query: str) -> list:
    """Editors' picks for this query (wagtail.contrib.search_promotions), read
    without Query.get(), which would create a row per new query."""
    return list(
        SearchPromotion.objects.filter(
            Q(page__isnull=True) | Q(page__live=True),
            query__query_string=normalise_query_string(query),
        )
        .select_related("page")
        .order_by("sort_order")
    )


@require_GET
def suggest(request):
    """Up to SUGGESTIONS titles matching what has been typed so far, as JSON."""
    query, _ = clean_query(request.GET.get("q", ""))
    if len(query) < 2 or not COMPLETABLE.search(query):
        return JsonResponse({"suggestions": []})
    digest = hashlib.md5(  # a short, safe cache key for any query
        normalise_query_string(query).encode(), usedforsecurity=False
    ).hexdigest()
    key = generation_key(f"search:suggest:{digest}")
    suggestions = cache.get(key) if key else None
    if suggestions is None:
        try:
            found = ArticlePage.objects.published().autocomplete(
                query, fields=["title"]
            )[:SUGGESTIONS]
            suggestions = [{"title": page.title, "url": page.url} for page in found]
        except (DatabaseError, RecursionError, ValueError):
            logger.warning("autocomplete refused %r", query[:80], exc_info=True)
            suggestions = []
        if key:
            cache.set(key, suggestions, SUGGESTION_TIMEOUT)
    return JsonResponse({"suggestions": suggestions})
