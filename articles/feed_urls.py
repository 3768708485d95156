"""Feeds (articles/feeds.py), mounted under /feeds/ by cms/urls.py."""

from django.urls import path

from .feeds import ArticleAtomFeed, ArticleFeed

app_name = "feeds"

rss, atom = ArticleFeed(), ArticleAtomFeed()

urlpatterns = [
    path("rss/", rss, name="rss"),
    path("atom/", atom, name="atom"),
    path("tag/<slug:tag_slug>/rss/", rss, name="tag_rss"),
    path("tag/<slug:tag_slug>/atom/", atom, name="tag_atom"),
    path("author/<str:username>/rss/", rss, name="author_rss"),
    path("author/<str:username>/atom/", atom, name="author_atom"),
]
