"""Admin viewsets of the article page types."""

from wagtail.admin.viewsets.pages import PageViewSet

from cms.explorer import SectionExplorerView

from .article_page import ArticlePage


class ArticlePageViewSet(PageViewSet):
    """The explorer's listing of an article index (which holds only articles):
    quick at any page however many articles it holds (cms/explorer.py)."""

    model = ArticlePage
    index_view_class = SectionExplorerView
