"""The article index: the article listing, with tag and author archives."""

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Max, OuterRef, Subquery
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from cms.page_cache import add_cache_tags, page_tag
from cms.page_cache.pages import PageCacheMixin
from cms.page_forms import PageForm
from cms.page_urls import page_url
from cms.pages import READ_ONLY_METHODS
from cms.pagination import Keyset, paginate
from cms.routing import TypedChildRoutingMixin

from . import cache_tags, seo
from .article_page import ArticlePage, ArticlePageTag
from .coauthors import CoAuthorRows
from .querysets import ArticleQuerySet
from .related_lists import RelatedArticles
from .tag_rows import ArticleTagRows


class ArticleIndexPage(PageCacheMixin, RoutablePageMixin, TypedChildRoutingMixin, Page):
    """The article listing, with tag and author archives as sub-routes.

    Sub-routes resolve first (RoutablePageMixin); any other single path component is
    an article slug, fetched with its byline and image in one query.
    """

    routed_child_model = "articles.ArticlePage"
    routed_child_select_related = ("author", "featured_image")
    allowed_http_methods = READ_ONLY_METHODS
    base_form_class = PageForm

    intro = models.TextField(_("intro"), blank=True, max_length=500)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["articles.ArticlePage"]

    class Meta:
        verbose_name = _("article index")

    # With the request, Wagtail keeps the site root paths on it; without, each
    # URL is a cache round trip (Redis in production).
    def tag_archive_url(self, slug: str, request=None) -> str:
        return page_url(self, request) + self.reverse_subpage(
            "tag_archive", args=[slug]
        )

    def author_archive_url(self, username: str, request=None) -> str:
        return page_url(self, request) + self.reverse_subpage(
            "author_archive", args=[username]
        )

    def routed_children(self):
        # The article's tags come with it, one query fewer per render
        # (articles/tag_rows.py; ArticlePage.shown_tags reads them).
        # Its co-authors too (articles/coauthors.py), for the byline.
        # Its stored related list too (articles/related.py): None when not stored.
        stored = RelatedArticles.objects.filter(article_id=OuterRef("pk"))
        return (
            super()
            .routed_children()
            .annotate(
                tag_rows=ArticleTagRows(ArticlePageTag),
                coauthor_rows=CoAuthorRows(),
                related_members=Subquery(stored.values("members")[:1]),
            )
        )

    def articles(self) -> ArticleQuerySet:
        """The published articles under this index, newest first: which ones a
        listing shows. render_listing() loads the page of them for their cards."""
        return ArticlePage.objects.child_of(self).published().newest_first()

    def get_sitemap_urls(self, request=None):
        """The index, then every tag and author archive that lists something, each
        dated by the latest change among its articles."""
        articles = ArticlePage.objects.child_of(self).published().order_by()
        index_url = self.get_full_url(request)
        latest = articles.aggregate(at=Max("updated_at"))["at"]
        entries = [{"location": index_url, "lastmod": latest or self.last_published_at}]
        entries += self._archive_entries(
            articles.exclude(tagged_items__tag__slug=None),
            "tagged_items__tag__slug",
            "tag_archive",
            index_url,
        )
        authors = self._archive_entries(
            articles.exclude(author=None),
            "author__username",
            "author_archive",
            index_url,
        )
        # Co-authors' archives list what they co-wrote: one entry per archive,
        # dated by the newer of the two.
        coauthors = self._archive_entries(
            articles.filter(coauthors__isnull=False),
            "coauthors__user__username",
            "author_archive",
            index_url,
        )
        merged = {entry["location"]: entry for entry in authors}
        for entry in coauthors:
            known = merged.get(entry["location"])
            if known is None or entry["lastmod"] > known["lastmod"]:
                merged[entry["location"]] = entry
        return entries + list(merged.values())

    def _archive_entries(self, articles, key: str, route: str, index_url: str):
        """One sitemap entry per distinct `key` among `articles` (a tag slug, a
        username), at its archive `route`, dated by its newest change."""
        rows = articles.values(key).annotate(lastmod=Max("updated_at")).order_by(key)
        return [
            {
                "location": index_url + self.reverse_subpage(route, args=[row[key]]),
                "lastmod": row["lastmod"],
            }
            for row in rows
        ]

    def render_listing(
        self,
        request,
        articles,
        cache_tag: str,
        allow_empty: bool = True,
        meta: tuple[str, str, tuple | None] | None = None,
        **context,
    ):
        """Page `?page=` of `articles`; `meta` is the listing's (title,
        description, breadcrumb) when it is an archive rather than the index."""
        # Tagged first, so a 404 below is purged with the listing it stands for.
        add_cache_tags(request, cache_tag)
        # Where each page starts is kept until the listing's tag is purged (an
        # article joins, leaves or moves in it): deep pages cost what page 1 does.
        keyset = Keyset("published_at", name=cache_tag, depends_on=[cache_tag])
        page_of_articles = paginate(
            request, articles, allow_empty=allow_empty, keyset=keyset
        )
        # The page's rows only, loaded for their cards: a subquery picks them, so
        # the engagement figures are computed for these rows and not for every
        # row the OFFSET skips (which PostgreSQL does when they share a query).
        page_of_articles.object_list = list(
            ArticlePage.objects.filter(pk__in=page_of_articles.object_list.values("pk"))
            .for_listing()
            .newest_first()
        )
        add_cache_tags(request, *(page_tag(article.pk) for article in page_of_articles))
        title, description, crumb = meta or (
            self.seo_title or self.title,
            self.search_description or self.intro,
            None,
        )
        page_meta = seo.listing_meta(
            request, self, title, description, page_of_articles, crumb
        )
        return self.render(
            request,
            context_overrides={
                "articles": page_of_articles,
                "page_meta": page_meta,
                **context,
            },
        )

    @path("")
    def index_route(self, request):
        return self.render_listing(
            request, self.articles(), cache_tags.listing(self.pk)
        )

    @path("tag/<slug:tag_slug>/")
    def tag_archive(self, request, tag_slug):
        tag = get_object_or_404(
            Tag.objects.select_related("description"), slug=tag_slug
        )
        title = f"Articles tagged “{tag.name}”"
        written = getattr(tag, "description", None)
        return self.render_listing(
            request,
            self.articles().tagged(tag_slug),
            cache_tags.tag_archive(tag_slug),
            meta=(
                title,
                written.description
                if written
                else f"The latest {self.title.lower()} tagged “{tag.name}”.",
                (title, self.tag_archive_url(tag.slug, request)),
            ),
            archive_tag=tag,
            archive_tag_description=written.description if written else "",
        )

    @path("author/<str:username>/")
    def author_archive(self, request, username):
        author = get_object_or_404(get_user_model(), username=username)
        # Only people with a published article have a public page: anyone else
        # (an admin, an editor, an author not yet published) gets the same 404 as
        # a name that does not exist, so the archive cannot list the accounts.
        # The 404 carries the archive's tag: the first publication purges it.
        return self.render_listing(
            request,
            self.articles().by_author(author),
            cache_tags.author_archive(author.pk),
            allow_empty=False,
            meta=(
                f"Articles by {author.display_name}",
                author.bio or f"The latest articles by {author.display_name}.",
                (
                    author.display_name,
                    self.author_archive_url(author.username, request),
                ),
            ),
            archive_author=author,
        )
