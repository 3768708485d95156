"""Development only (cms/settings/dev.py): error pages that render under the
Content-Security-Policy.

With DEBUG on, Django answers a 404 with its technical page, whose inline CSS the
site's policy (`style-src 'self'`) blocks, so it showed as unstyled text. Readers
never see that page, so development shows the one they do: the project's 404.html,
through Django's own `page_not_found` view. A 500 keeps Django's traceback page,
which is what a developer needs, and is let use its inline styles and scripts:
that page exists only with DEBUG on.
"""

from django.conf import settings
from django.http import Http404
from django.views.defaults import page_not_found

DEBUG_PAGE_POLICY = (
    "default-src 'self'; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; img-src 'self' data:"
)


class DebugErrorPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.DEBUG and response.status_code == 500:
            # Set before the Content-Security-Policy middleware, which only adds
            # its policy where none is set.
            response["Content-Security-Policy"] = DEBUG_PAGE_POLICY
        return response

    def process_exception(self, request, exception):
        if settings.DEBUG and isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
