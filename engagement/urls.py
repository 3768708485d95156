"""Reader endpoints (engagement/endpoints.py), mounted under /reader/ by cms/urls.py.

Numeric page ids rather than paths: these URLs must not depend on where the page
sits in the tree, and never clash with page URLs.
"""

from django.urls import path, register_converter

from . import endpoints


class PageIdConverter:
    """A page id the database can hold: 1 to 18 digits. A longer one is no page
    (a 404 from the resolver), never an integer overflow in the query (a 500)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(PageIdConverter, "page_id")

app_name = "engagement"

urlpatterns = [
    path("pages/<page_id:page_id>/respond/", endpoints.respond, name="respond"),
    path("pages/<page_id:page_id>/comments/", endpoints.post_comment, name="comment"),
    path("pages/<page_id:page_id>/rating/", endpoints.post_rating, name="rating"),
    path("pages/<page_id:page_id>/view/", endpoints.view_beacon, name="view"),
]
