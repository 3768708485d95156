"""Page-type support for the page cache."""

from wagtailcache.cache import CacheControl


class PageCacheMixin:
    """Mark a view-restricted page's password form private, so it is never stored.

    Like wagtail-cache's WagtailCacheMixin, without its per-render view-restriction
    query: a reader who may see restricted content carries a session cookie, and
    such requests bypass the page cache entirely.
    """

    def serve_password_required_response(self, request, form, action_url):
        response = super().serve_password_required_response(request, form, action_url)
        response["Cache-Control"] = CacheControl.PRIVATE.value
        return response
