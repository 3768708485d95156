"""Registers the tag descriptions snippet (articles/tag_descriptions.py) and the
article index's explorer listing (cms/explorer.py: quick at any page however many
articles the index holds)."""

from wagtail import hooks
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.snippets.models import register_snippet

from cms.explorer import SectionExplorerView

from .article_page import ArticlePage
from .tag_descriptions import TagDescription

register_snippet(TagDescription)


class ArticlePageViewSet(PageViewSet):
    model = ArticlePage
    index_view_class = SectionExplorerView


@hooks.register("register_admin_viewset")
def register_article_page_viewset():
    return ArticlePageViewSet("article_pages")
