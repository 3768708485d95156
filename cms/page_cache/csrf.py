"""CSRF tokens for forms on cached pages.

A cached page cannot carry a per-visitor token (rendering {% csrf_token %} sets a
cookie, which would make the page uncacheable or shared). Forms on cached pages
fetch a token from this small, never-cached endpoint (static/js/reader.js does, for
the comment and rating forms) and send it as X-CSRFToken; the endpoint sets the
CSRF cookie on the reader's browser.
"""

from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def csrf_token_view(request):
    return JsonResponse({"token": get_token(request)})
