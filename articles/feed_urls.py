"""Feeds (articles/feeds.py), mounted under /feeds/ by cms/urls.py."""

from django.urls import path, register_converter

from .feeds import ArticleAtomFeed, ArticleFeed


class UsernameConverter:
    """What Django allows in a username; anything else (NUL included, which
    PostgreSQL refuses in a query) is a 404 before the database is asked."""

    regex = r"[\w.@+-]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(UsernameConverter, "username")

app_name = "feeds"

rss, atom = ArticleFeed(), ArticleAtomFeed()

urlpatterns = [
    path("rss/", rss, name="rss"),
    path("atom/", atom, name="atom"),
    path("tag/<slug:tag_slug>/rss/", rss, name="tag_rss"),
    path("tag/<slug:tag_slug>/atom/", atom, name="tag_atom"),
    path("author/<username:username>/rss/", rss, name="author_rss"),
    path("author/<username:username>/atom/", atom, name="author_atom"),
]
