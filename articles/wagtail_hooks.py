"""Registers the tag descriptions snippet (articles/tag_descriptions.py) and the
article index's explorer listing (articles/viewsets.py)."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .tag_descriptions import TagDescription
from .viewsets import ArticlePageViewSet

register_snippet(TagDescription)


@hooks.register("register_admin_viewset")
def register_article_page_viewset():
    return ArticlePageViewSet("article_pages")
