"""Admin viewsets of the article page types."""

from functools import cached_property

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.pages import PageViewSet

from cms.explorer import SectionExplorerView

from .article_page import ArticlePage
from .bylines import byline_names


def listed_byline(page) -> str:
    authors = getattr(page, "authors", None)
    return byline_names(authors) if authors is not None else ""


class ArticleExplorerView(SectionExplorerView):
    """The section's listing with each article's authors and publication date."""

    @cached_property
    def columns(self):
        columns = list(super().columns)
        at = next(
            (n + 1 for n, column in enumerate(columns) if column.name == "title"),
            len(columns),
        )
        columns[at:at] = [
            Column("authors", label=_("Author(s)"), accessor=listed_byline),
            DateColumn(
                "published_at",
                label=_("Published"),
                accessor=lambda page: getattr(page, "published_at", None),
                width="12%",
            ),
        ]
        return columns

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The shown rows' authors in three queries however many rows (lead
        # authors, co-author rows, their users); the co-author rows also answer
        # each row's edit permission (ArticlePage.extra_editors).
        articles = [
            page for page in context["object_list"] if isinstance(page, ArticlePage)
        ]
        prefetch_related_objects(articles, "author", "coauthors__user")
        return context


class ArticlePageViewSet(PageViewSet):
    """The explorer's listing of an article index (which holds only articles):
    quick at any page however many articles it holds (cms/explorer.py)."""

    model = ArticlePage
    index_view_class = ArticleExplorerView
