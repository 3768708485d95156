"""Admin view: clear the whole page cache (superusers only, POST with CSRF)."""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .purge import clear_page_cache

logger = logging.getLogger("cms.page_cache")


@require_http_methods(["GET", "POST"])
def clear_page_cache_view(request):
    if not request.user.is_superuser:
        raise PermissionDenied
    if request.method == "POST":  # CsrfViewMiddleware has checked the token
        try:
            clear_page_cache()
        except Exception:
            logger.exception("clearing the page cache failed")
            messages.error(
                request, _("The page cache could not be reached; nothing was cleared.")
            )
        else:
            logger.warning("page cache cleared by user_id=%s", request.user.pk)
            messages.success(request, _("The page cache was cleared."))
        return redirect("page_cache_clear")
    return TemplateResponse(request, "cms/page_cache_clear.html", {})
