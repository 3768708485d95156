"""Article cards and prev/next links as HTML fragments shared between pages.

A card shows only its own article (title, intro, byline, image, figures), yet it
appears on the home page, the listings, archives and in other articles' related
lists: it is rendered once per change to its article (cms.page_cache.derived,
kept until its `page:` tag is purged: every change to what a card shows purges
it) and reused by every page showing it. Pages still tag their responses with
each card's `page:` tag, as before.
"""

from django.http import HttpRequest
from django.template.loader import render_to_string

from cms.page_cache import page_tag
from cms.page_cache.derived import cached_fragment, cached_fragments
from cms.page_urls import url_site_id

from .article_page import ArticlePage

CARD_TEMPLATE = "components/article_card.html"
LINKS_TEMPLATE = "components/prev_next.html"


def _card_name(request, pk: int, options: dict) -> str:
    variant = ",".join(f"{name}={options[name]}" for name in sorted(options))
    return f"articles:card:{url_site_id(request)}:{pk}:{variant}"


def _render_card(request, article: ArticlePage, options: dict) -> str:
    return render_to_string(
        CARD_TEMPLATE, {"article": article, **options}, request=request
    )


def card(request: HttpRequest | None, article: ArticlePage, **options) -> str:
    """The card of a loaded article (a listing's): from the cache, or rendered
    from `article`, which must be loaded as for_listing() or for_teaser() says."""
    return cached_fragment(
        _card_name(request, article.pk, options),
        lambda: _render_card(request, article, options),
        depends_on=[page_tag(article.pk)],
    )


def cards(request: HttpRequest | None, ids: list[int], **options) -> list[str]:
    """The cards of the articles `ids`, in that order: those not cached are loaded
    in one query and rendered. An id no longer live is left out."""

    def render_missing(missing: list[int]) -> dict[int, str]:
        articles = ArticlePage.objects.live().filter(pk__in=missing)
        articles = (
            articles.for_teaser() if options.get("compact") else articles.for_listing()
        )
        return {
            article.pk: _render_card(request, article, options) for article in articles
        }

    names = {pk: _card_name(request, pk, options) for pk in ids}
    found = cached_fragments(names, render_missing, lambda pk: [page_tag(pk)])
    return [found[pk] for pk in ids if pk in found]


def prev_next_links(
    request: HttpRequest | None, older_id: int | None, newer_id: int | None
) -> str:
    """The links to an article's older and newer neighbours ("" for none)."""
    if older_id is None and newer_id is None:
        return ""
    name = f"articles:prev-next:{url_site_id(request)}:{older_id}:{newer_id}"

    def render() -> str:
        found = {
            article.pk: article
            for article in ArticlePage.objects.live()
            .filter(pk__in={older_id, newer_id} - {None})
            .only("title", "url_path")
        }
        older, newer = found.get(older_id), found.get(newer_id)
        if not (older or newer):
            return ""
        return render_to_string(
            LINKS_TEMPLATE, {"older": older, "newer": newer}, request=request
        )

    linked = [page_tag(pk) for pk in (older_id, newer_id) if pk is not None]
    return cached_fragment(name, render, depends_on=linked)
