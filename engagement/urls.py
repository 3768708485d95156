"""Reader endpoints (engagement/endpoints.py), mounted under /reader/ by cms/urls.py.

Numeric page ids rather than paths: these URLs must not depend on where the page
sits in the tree, and never clash with page URLs.
"""

from django.urls import path

from . import endpoints

app_name = "engagement"

urlpatterns = [
    path("pages/<int:page_id>/respond/", endpoints.respond, name="respond"),
    path("pages/<int:page_id>/comments/", endpoints.post_comment, name="comment"),
    path("pages/<int:page_id>/rating/", endpoints.post_rating, name="rating"),
    path("pages/<int:page_id>/view/", endpoints.view_beacon, name="view"),
]
