"""The article page types, where Django looks for the app's models."""

from .article_page import ArticleManager, ArticlePage, ArticlePageTag
from .coauthors import ArticleCoAuthor
from .index_page import ArticleIndexPage
from .related_lists import RelatedArticles
from .tag_descriptions import TagDescription

__all__ = [
    "ArticleCoAuthor",
    "ArticleIndexPage",
    "ArticleManager",
    "ArticlePage",
    "ArticlePageTag",
    "RelatedArticles",
    "TagDescription",
]
