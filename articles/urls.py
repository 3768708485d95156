"""Reader endpoints (articles/views.py), mounted under /reader/ by cms/urls.py.

Numeric article ids rather than slugs: these URLs must not depend on where the
article sits in the page tree, and never clash with page URLs.
"""

from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("articles/<int:article_id>/respond/", views.respond, name="respond"),
    path("articles/<int:article_id>/comments/", views.post_comment, name="comment"),
    path("articles/<int:article_id>/rating/", views.post_rating, name="rating"),
    path("articles/<int:article_id>/view/", views.view_beacon, name="view"),
]
