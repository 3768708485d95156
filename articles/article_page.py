"""The article page type: a byline, tags, a publication date and reader engagement.

Its template shows related and most-read articles and its neighbours; what a
change to it touches in the page cache is get_cache_purge_tags().
"""

from django.conf import settings
from django.db import models
from django.db.models import Subquery
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Page, PageManager
from wagtail.search import index

from cms.page_cache import add_cache_tags, page_tag
from cms.page_cache.derived import cached_ids
from cms.page_cache.listed_state import previous_listed_state
from cms.pages import EditorialPage
from cms.prepublish.panels import PrepublishChecksPanel
from engagement.cache_tags import POPULAR
from engagement.pages import ReaderEngagement
from engagement.selectors import popular_page_ids

from . import cache_tags, seo
from .api_fields import AuthorField, AuthorsField, TagNamesField
from .coauthors import coauthor_users
from .forms import ArticleCopyForm, ArticlePageForm
from .prepublish_checks import ARTICLE_CHECKS
from .publication import PublicationStampPanel
from .querysets import ArticleQuerySet
from .related_lists import RelatedArticles, split_ids
from .tag_rows import tag_list


class ArticleManager(PageManager.from_queryset(ArticleQuerySet)):
    def get_queryset(self) -> ArticleQuerySet:
        # Wagtail's PageManager orders by tree path; articles read newest first,
        # as Meta.ordering says.
        return super().get_queryset().order_by(*self.model._meta.ordering)


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticlePage(ReaderEngagement, EditorialPage):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        # Deleting an account must never delete what the person wrote.
        on_delete=models.SET_NULL,
        related_name="articles",
        help_text=_("Shown in the byline; defaults to whoever creates the article."),
    )
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True)
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_(
            "Set automatically on first publish. Change it to backdate an article; "
            "a date in the future keeps it out of listings until then."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    featured = models.BooleanField(
        _("featured"), default=False, help_text=_("Feature on the home page.")
    )

    objects = ArticleManager()
    base_form_class = ArticlePageForm
    copy_form_class = ArticleCopyForm
    # What must pass before it is submitted or published (cms/prepublish).
    prepublish_checks = ARTICLE_CHECKS

    preview_modes = [
        ("", _("Full page")),
        ("card", _("Listing card")),
        ("social", _("Social share card")),
    ]
    PREVIEW_TEMPLATES = {
        "card": "articles/previews/listing_card.html",
        "social": "articles/previews/social_card.html",
    }

    content_panels = [
        *EditorialPage.content_panels[:1],
        FieldPanel("author", heading=_("Lead author")),
        InlinePanel(
            "coauthors",
            heading=_("Co-authors"),
            label=_("Co-author"),
            help_text=_("Credited after the lead author, in this order."),
        ),
        *EditorialPage.content_panels[1:],
        FieldPanel("tags"),
        PrepublishChecksPanel(),
    ]
    promote_panels = [
        *EditorialPage.promote_panels,
        MultiFieldPanel([FieldPanel("featured")], heading=_("Placement")),
    ]
    settings_panels = [
        PublicationStampPanel("published_at"),
        *Page.settings_panels,
    ]
    search_fields = [
        *EditorialPage.search_fields,
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.RelatedFields(
            "author",
            [index.SearchField("first_name"), index.SearchField("last_name")],
        ),
        index.FilterField("published_at"),
    ]

    # The read API (articles/api.py): what other programs get of an article.
    api_fields = [
        APIField("intro"),
        # `author` stays the lead alone (what clients read before co-authors);
        # `authors` is the whole byline in order.
        APIField("author", serializer=AuthorField(read_only=True)),
        APIField("authors", serializer=AuthorsField(read_only=True)),
        APIField("tags", serializer=TagNamesField(read_only=True)),
        APIField("published_at"),
        APIField("updated_at"),
        APIField(
            "featured_image",
            serializer=ImageRenditionField("fill-1200x630|format-jpeg"),
        ),
        APIField(
            "featured_image_thumbnail",
            serializer=ImageRenditionField(
                "fill-400x250|format-jpeg", source="featured_image"
            ),
        ),
        APIField("body"),
    ]

    parent_page_types = ["articles.ArticleIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("article")
        ordering = ["-published_at"]
        indexes = [
            models.Index(fields=["published_at"], name="article_published_idx"),
            models.Index(
                fields=["author", "published_at"], name="article_author_published_idx"
            ),
        ]

    def is_open_to_readers(self) -> bool:
        """The single-article form of ArticleQuerySet.published() beyond live and
        public (which routing and Wagtail's view restrictions enforce): an article
        dated in the future is under embargo until then."""
        return self.published_at is not None and self.published_at <= timezone.now()

    def route(self, request, path_components):
        # Under embargo, the article's URL is a 404 like any unpublished page; the
        # scheduler purges that cached 404 when the embargo lifts (articles.tasks).
        if not path_components and not self.is_open_to_readers():
            raise Http404("Not published yet")
        return super().route(request, path_components)

    def get_sitemap_urls(self, request=None):
        return super().get_sitemap_urls(request) if self.is_open_to_readers() else []

    def serve_preview(self, request, mode_name):
        if mode_name in self.PREVIEW_TEMPLATES:
            return TemplateResponse(
                request,
                self.PREVIEW_TEMPLATES[mode_name],
                {"page": self, "article": self, "request": request},
            )
        return super().serve_preview(request, mode_name)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The parent is cached by ArticleIndexPage.route, so this costs no query.
        context["article_index"] = self.get_parent().specific
        context["tags"] = tags = self.shown_tags()
        # Ids only: the cards and links are fragments shared between pages
        # (articles/cards.py), loaded only when not cached.
        # A preview computes them from the draft (its tags, its date) and must not
        # leave that choice in the cache public renders read.
        shared = not getattr(request, "is_preview", False)
        related = self.related_ids(tags, shared=shared)
        older, newer = self.neighbour_ids(shared=shared)
        context["related_ids"] = related
        context["previous_id"], context["next_id"] = older, newer
        # The most-read list is a fragment shared by every article
        # (`{% most_read_list %}`): only its ids are needed here, for the tags.
        popular = popular_page_ids(exclude=self.pk)
        context["shows_most_read"] = bool(popular)
        # Archive links built once here, with the request (routablepageurl would
        # build the index's URL again for each).
        index = context["article_index"]
        archive_url = getattr(index, "author_archive_url", None)
        context["byline"] = byline = [
            (person, archive_url(person.username, request) if archive_url else "")
            for person in self.authors
        ]
        # The author card's link: the lead author, who heads the byline.
        context["author_url"] = byline[0][1] if self.author_id else ""
        context["tag_links"] = [
            (tag, index.tag_archive_url(tag.slug, request)) for tag in tags
        ]
        context["page_meta"] = seo.article_meta(self, request, index, byline)
        linked = [pk for pk in (*related, older, newer, *popular) if pk is not None]
        add_cache_tags(
            request,
            cache_tags.article_page(self.pk),
            POPULAR,
            *(page_tag(pk) for pk in linked),
        )
        return context

    def shown_tags(self) -> list:
        """The tags, in order: those routing loaded with the article (tag_rows,
        ArticleIndexPage.routed_children), else from the tag manager, which also
        holds a preview's unsaved choice."""
        if hasattr(self, "tag_rows"):
            return tag_list(self.tag_rows)
        return list(self.tags.all())

    @cached_property
    def authors(self) -> list:
        """Everyone the byline credits, in order: the lead author, then the
        co-authors (articles/coauthors.py); each person once."""
        people = [self.author] if self.author_id else []
        seen = {self.author_id}
        for person in coauthor_users(self):
            if person.pk not in seen:
                seen.add(person.pk)
                people.append(person)
        return people

    def author_ids(self) -> list[int]:
        """The ids of self.authors without loading the users."""
        ids = [self.author_id] if self.author_id else []
        if hasattr(self, "coauthor_rows"):
            coauthors = [person.pk for person in coauthor_users(self)]
        else:
            coauthors = [row.user_id for row in self.coauthors.all()]
        return ids + [pk for pk in coauthors if pk not in ids]

    def extra_editors(self) -> set[int]:
        """Who may edit this article besides Wagtail's own rules (the owner,
        Editors): its authors, with the rights an Author has on her own article
        (cms/page_permissions.py): edit and submit, never publish."""
        return set(self.author_ids())

    # What pages other than its own show of an article (cards, prev/next links,
    # listings and their order), with its tags (extra_listed_state): a change to
    # anything else, its body, purges its own page alone (cms/page_cache/
    # listed_state.py).
    cache_listed_fields = (
        "title",
        "slug",
        "url_path",
        "intro",
        "featured_image_id",
        "author_id",
        "published_at",
        "live",
        "featured",
    )

    def extra_listed_state(self) -> dict:
        return {
            "tags": sorted((tag.name, tag.slug) for tag in self.tags.all()),
            # Which author archives list it (get_cache_purge_tags), in byline
            # order: reordering changes what its page says.
            "coauthors": [row.user_id for row in self.coauthors.all()],
        }

    def get_cache_purge_tags(self, parent=None, listed: bool = True) -> set[str]:
        """What a change to this article touches besides its own page: the
        listings it belongs to (under `parent`, default its current one) and its
        neighbours' prev/next links; only the feeds (they carry its update time)
        when nothing listed changed (`listed`). Related lists it enters or
        leaves are purged by articles.related once they are ranked again, and
        only those."""
        if not listed:
            return {cache_tags.FEEDS}
        parent = parent or self.get_parent()
        tags = {cache_tags.LATEST, cache_tags.FEEDS, cache_tags.listing(parent.pk)}
        # Every author's archive, and those of whoever was credited before the
        # change (the listings it leaves).
        previous = previous_listed_state(self) or {}
        authors = {
            *self.author_ids(),
            previous.get("author_id"),
            *previous.get("coauthors", ()),
        }
        for author_id in authors - {None}:
            tags.add(cache_tags.author_archive(author_id))
        for tag in self.tags.all():
            tags.add(cache_tags.tag_archive(tag.slug))
        if self.published_at:
            siblings = (
                ArticlePage.objects.published().child_of(parent).exclude(pk=self.pk)
            )
            for neighbour_id in self.neighbours(siblings):
                if neighbour_id is not None:
                    tags.add(cache_tags.article_page(neighbour_id))
        return tags

    def published_siblings(self) -> ArticleQuerySet:
        # published() queries view restrictions as it is called: call it only
        # when a list below is built.
        return ArticlePage.objects.published().sibling_of(self, inclusive=False)

    def related_ids(self, tags: list, shared: bool = True) -> list[int]:
        """Up to three related articles, most shared tags first: the stored list
        (articles/related.py), which routing loads with the article. A preview
        (not `shared`) ranks from the draft's tags, as does an article whose list
        is not stored yet (the scheduler stores it: related.rank_missing_lists)."""
        members = self.stored_related_members() if shared else None
        if members is not None:
            return split_ids(members)
        return list(
            self.published_siblings()
            .related_to(self, tags)
            .values_list("pk", flat=True)
        )

    def stored_related_members(self) -> str | None:
        if hasattr(self, "related_members"):  # ArticleIndexPage.routed_children
            return self.related_members
        return (
            RelatedArticles.objects.filter(article_id=self.pk)
            .values_list("members", flat=True)
            .first()
        )

    def neighbour_ids(self, shared: bool = True) -> tuple[int | None, int | None]:
        """The next older and newer published siblings' ids, cached like
        related_ids()."""

        def find():
            return list(self.neighbours(self.published_siblings()))

        # Purged when a neighbour changes (get_cache_purge_tags of either side).
        depends_on = [cache_tags.article_page(self.pk)]
        name = f"articles:neighbours:{self.pk}"
        ids = cached_ids(name, find, depends_on) if shared else find()
        older_id, newer_id = ids
        return older_id, newer_id

    def neighbours(self, siblings: ArticleQuerySet) -> tuple[int | None, int | None]:
        """The ids of the next older and newer of `siblings`.

        One query of two uncorrelated scalar subqueries, each a backward or
        forward index scan from this article's date that stops at the first
        row: constant however many articles there are. (As `pk IN (...) OR pk
        IN (...)` PostgreSQL scanned every article for it: 80 ms at 100,000.)
        """
        if self.published_at is None:
            return None, None
        older = siblings.filter(published_at__lt=self.published_at).order_by(
            "-published_at", "-pk"
        )
        newer = siblings.filter(published_at__gt=self.published_at).order_by(
            "published_at", "pk"
        )
        # The root page is a row that always exists to select them on.
        row = (
            Page.objects.filter(depth=1)
            .annotate(
                older=Subquery(older.values("pk")[:1]),
                newer=Subquery(newer.values("pk")[:1]),
            )
            .values("older", "newer")
            .first()
        )
        return (row["older"], row["newer"]) if row else (None, None)
