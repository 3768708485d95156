from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Page, PageManager
from wagtail.search import index

from cms.page_cache import add_cache_tags, page_tag
from cms.page_cache.pages import PageCacheMixin
from cms.pages import READ_ONLY_METHODS, EditorialPage
from cms.pagination import paginate
from cms.routing import TypedChildRoutingMixin

from . import cache_tags, seo
from .api_fields import AuthorField, TagNamesField
from .forms import ArticlePageForm, CommentForm
from .listing_cache import cached_ids
from .popular import popular_ids
from .querysets import ArticleQuerySet, CommentQuerySet


class ArticleManager(PageManager.from_queryset(ArticleQuerySet)):
    def get_queryset(self) -> ArticleQuerySet:
        # Wagtail's PageManager orders by tree path; articles read newest first,
        # as Meta.ordering says.
        return super().get_queryset().order_by(*self.model._meta.ordering)


class ArticleIndexPage(PageCacheMixin, RoutablePageMixin, TypedChildRoutingMixin, Page):
    """The article listing, with tag and author archives as sub-routes.

    Sub-routes resolve first (RoutablePageMixin); any other single path component is
    an article slug, fetched with its byline and image in one query.
    """

    routed_child_model = "articles.ArticlePage"
    routed_child_select_related = ("author", "featured_image")
    allowed_http_methods = READ_ONLY_METHODS

    intro = models.TextField(_("intro"), blank=True, max_length=500)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["articles.ArticlePage"]

    class Meta:
        verbose_name = _("article index")

    def routed_children(self) -> ArticleQuerySet:
        # The article page shows its comment count and rating: fetched with it.
        return super().routed_children().with_engagement()

    def tag_archive_url(self, slug: str) -> str:
        return self.url + self.reverse_subpage("tag_archive", args=[slug])

    def author_archive_url(self, username: str) -> str:
        return self.url + self.reverse_subpage("author_archive", args=[username])

    def articles(self) -> ArticleQuerySet:
        return (
            ArticlePage.objects.child_of(self).published().for_listing().newest_first()
        )

    def render_listing(self, request, articles, cache_tag: str, **context):
        page_of_articles = paginate(request, articles)
        add_cache_tags(
            request, cache_tag, *(page_tag(article.pk) for article in page_of_articles)
        )
        return self.render(
            request,
            context_overrides={"articles": page_of_articles, **context},
        )

    @path("")
    def index_route(self, request):
        return self.render_listing(
            request, self.articles(), cache_tags.listing(self.pk)
        )

    @path("tag/<slug:tag_slug>/")
    def tag_archive(self, request, tag_slug):
        tag = get_object_or_404(Tag, slug=tag_slug)
        return self.render_listing(
            request,
            self.articles().tagged(tag_slug),
            cache_tags.tag_archive(tag_slug),
            archive_tag=tag,
        )

    @path("author/<str:username>/")
    def author_archive(self, request, username):
        author = get_object_or_404(get_user_model(), username=username)
        return self.render_listing(
            request,
            self.articles().by_author(author),
            cache_tags.author_archive(author.pk),
            archive_author=author,
        )


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticlePage(EditorialPage):
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
        FieldPanel("author"),
        *EditorialPage.content_panels[1:],
        FieldPanel("tags"),
    ]
    promote_panels = [
        *EditorialPage.promote_panels,
        MultiFieldPanel([FieldPanel("featured")], heading=_("Placement")),
    ]
    settings_panels = [
        FieldPanel("published_at"),
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
        APIField("author", serializer=AuthorField(read_only=True)),
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
        context["tags"] = tags = list(self.tags.all())
        siblings = ArticlePage.objects.published().sibling_of(self, inclusive=False)
        related, popular = self.related_and_popular(siblings, tags)
        context["related_articles"], context["popular_articles"] = related, popular
        older, newer = self.neighbours(siblings)
        context["previous_article"], context["next_article"] = older, newer
        context["social_image"] = image = seo.social_image(self)
        if image is not None:
            context["social_image_url"] = request.build_absolute_uri(image.url)
        context["structured_data"] = seo.news_article(
            self, request, image, author_url=self.author_archive_url(context)
        )
        context["comment_form"] = CommentForm()
        context["comments"] = comments = self.approved_comments()
        context["comment_count"] = len(comments)
        shown = [
            article
            for article in (*related, *popular, older, newer)
            if article is not None
        ]
        add_cache_tags(
            request,
            cache_tags.article_page(self.pk),
            cache_tags.POPULAR,
            *(cache_tags.related(tag.slug) for tag in tags),
            *(page_tag(article.pk) for article in shown),
        )
        return context

    def author_archive_url(self, context) -> str:
        index = context["article_index"]
        if self.author is None or not isinstance(index, ArticleIndexPage):
            return ""
        return index.author_archive_url(self.author.username)

    def approved_comments(self) -> list:
        """Approved comments, oldest first; no query when the annotated count
        (from routing, ArticleQuerySet.with_engagement) says there are none."""
        # A preview of an article never saved has no id and so no comments.
        if self.pk is None or getattr(self, "comment_count", None) == 0:
            return []
        return list(
            self.comments.approved()
            .oldest_first()
            .only("article_id", "name", "body", "created_at")
        )

    def get_cache_purge_tags(self, parent=None) -> set[str]:
        """What a change to this article touches besides its own `page:` tag: the
        listings it belongs to (under `parent`, default its current one), related
        lists sharing its tags, and its neighbours' prev/next links."""
        parent = parent or self.get_parent()
        tags = {cache_tags.LATEST, cache_tags.FEEDS, cache_tags.listing(parent.pk)}
        if self.author_id:
            tags.add(cache_tags.author_archive(self.author_id))
        for tag in self.tags.all():
            tags |= {cache_tags.tag_archive(tag.slug), cache_tags.related(tag.slug)}
        if self.published_at:
            siblings = (
                ArticlePage.objects.published().child_of(parent).exclude(pk=self.pk)
            )
            for neighbour in self.neighbours(siblings):
                if neighbour is not None:
                    tags.add(cache_tags.article_page(neighbour.pk))
        return tags

    def related_and_popular(self, siblings: ArticleQuerySet, tags: list) -> tuple:
        """Up to three related articles and the most-read ones, loaded together.

        Ranking by shared tags scans every article, so the ranked ids are kept in
        the low-level cache until content changes; the most-read ids come from
        articles.popular.
        """
        related_ids = cached_ids(
            f"related:{self.pk}",
            lambda: siblings.related_to(self, tags).values_list("pk", flat=True),
        )
        popular = [pk for pk in popular_ids() if pk != self.pk]
        found = ArticlePage.objects.live().filter(pk__in={*related_ids, *popular})
        by_id = {article.pk: article for article in found.for_teaser()}
        return (
            [by_id[pk] for pk in related_ids if pk in by_id],
            [by_id[pk] for pk in popular if pk in by_id],
        )

    def neighbours(self, siblings: ArticleQuerySet) -> tuple:
        """The next older and newer published siblings, loaded light for links.

        Two queries: SQLite cannot LIMIT inside a UNION, and one query each is
        still constant however many articles there are.
        """
        if self.published_at is None:
            return None, None
        light = ("title", "url_path")
        older = (
            siblings.filter(published_at__lt=self.published_at)
            .order_by("-published_at", "-pk")
            .only(*light)
            .first()
        )
        newer = (
            siblings.filter(published_at__gt=self.published_at)
            .order_by("published_at", "pk")
            .only(*light)
            .first()
        )
        return older, newer


# --- Reader engagement: comments, ratings, view counts --------------------------------


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SPAM = "spam", _("Spam")


class Comment(models.Model):
    """A reader's comment on an article; shown once an Editor approves it."""

    article = models.ForeignKey(
        ArticlePage,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    name = models.CharField(_("name"), max_length=80)
    email = models.EmailField(_("email"), help_text=_("Never shown to readers."))
    body = models.TextField(_("comment"), max_length=3000)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CommentStatus.choices,
        default=CommentStatus.PENDING,
    )
    created_at = models.DateTimeField(_("posted at"), default=timezone.now)
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Chosen by the reader's form: a retried or double-clicked submission is stored
    # once.
    submission_key = models.UUIDField(
        null=True, blank=True, unique=True, editable=False
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("reader comment")
        verbose_name_plural = _("reader comments")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["article", "status", "created_at"],
                name="comment_article_status_idx",
            ),
            models.Index(fields=["status", "created_at"], name="comment_status_idx"),
        ]

    def __str__(self) -> str:
        return Truncator(self.body).chars(60)


class Rating(models.Model):
    """One score per anonymous reader (a signed cookie token) per article."""

    article = models.ForeignKey(
        ArticlePage,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="ratings",
    )
    reader = models.CharField(_("reader token"), max_length=64)
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rated_at = models.DateTimeField(_("rated at"), auto_now=True)

    class Meta:
        verbose_name = _("rating")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "reader"], name="rating_one_per_reader"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5),
                name="rating_score_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score}/5 for {self.article_id}"


class ArticleViews(models.Model):
    """Counted reader views of an article on one day, written in batches."""

    article = models.ForeignKey(
        ArticlePage,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="daily_views",
    )
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("article views per day")
        verbose_name_plural = _("article views per day")
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="views_one_per_day")
        ]
        indexes = [models.Index(fields=["day"], name="views_day_idx")]

    def __str__(self) -> str:
        return f"{self.article_id} on {self.day}: {self.views}"
