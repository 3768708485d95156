"""Admin viewsets of the article page types."""

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.pages import PageViewSet

from cms.explorer import SectionExplorerView
from cms.listing_columns import added_columns, load_added_columns

from .article_page import ArticlePage
from .bylines import byline_names


def listed_byline(page) -> str:
    authors = getattr(page, "authors", None)
    return byline_names(authors) if authors is not None else ""


def with_columns_after_title(columns, *added) -> list:
    at = next(
        (n + 1 for n, column in enumerate(columns) if column.name == "title"),
        len(columns),
    )
    return [*columns[:at], *added, *columns[at:]]


class ArticleExplorerView(SectionExplorerView):
    """The section's listing with each article's authors and publication date."""

    # The viewset passes these to the view (PageViewSet.columns).
    base_columns = with_columns_after_title(
        SectionExplorerView.base_columns,
        Column("authors", label=_("Author(s)"), accessor=listed_byline),
        DateColumn(
            "published_at",
            label=_("Published"),
            accessor=lambda page: getattr(page, "published_at", None),
            width="12%",
        ),
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The shown rows' authors in three queries however many rows (lead
        # authors, co-author rows, their users); the co-author rows also answer
        # each row's edit permission (ArticlePage.extra_editors).
        articles = [
            page for page in context["object_list"] if isinstance(page, ArticlePage)
        ]
        prefetch_related_objects(articles, "author", "coauthors__user")
        load_added_columns(ArticlePage, articles)
        return context


class ArticlePageViewSet(PageViewSet):
    """The explorer's listing of an article index (which holds only articles):
    quick at any page however many articles it holds (cms/explorer.py)."""

    model = ArticlePage
    index_view_class = ArticleExplorerView

    @property
    def columns(self):
        # Read when the admin's URLs are built, after every app's ready() has
        # added its columns (cms/listing_columns.py).
        return [*ArticleExplorerView.base_columns, *added_columns(ArticlePage)]
