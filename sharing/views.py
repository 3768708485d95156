"""The recipient's side of a share link: /share/<token>/.

The draft renders through the page type's own preview (serve_preview), as the
public page would, for an anonymous reader: no userbar, nothing of the sharer's
session. Every response is private and never stored (page cache, edge, browser),
kept out of search engines, and sends no Referer (the token is in the URL).
Unknown, expired, revoked and deleted-page links are the same 404; token lookups
are rate limited per client.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from cms.rate_limit import Rate, allow

from .forms import ReaderCommentForm
from .services import (
    add_comment,
    draft_shown,
    may_answer_review,
    record_view,
    usable_link,
)


def kept_private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_cache=True, no_store=True, max_age=0)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _link_or_404(request, token: str):
    if not allow(request, "share", Rate.parse(settings.SHARE_LINK_RATE_LIMIT)):
        refused = HttpResponse(
            "Too many requests: try again in a minute.",
            status=429,
            content_type="text/plain",
            headers={"Retry-After": "60"},
        )
        return None, kept_private(refused)
    link = usable_link(token)
    if link is None:
        raise Http404("No such link")
    return link, None


@require_GET
def shared_draft(request, token: str):
    link, refused = _link_or_404(request, token)
    if refused:
        return refused
    response = render_draft(request, link, token, request.GET.get("mode"))
    record_view(link, request.share_context["mode"])
    return response


def render_draft(request, link, token: str, mode, form=None, status: int = 200):
    page = draft_shown(link)
    mode = page.default_preview_mode if mode is None else mode
    if mode not in dict(page.preview_modes):
        raise Http404("No such view of the page")
    # The page as an anonymous reader gets it (no userbar, no session state),
    # in preview: lists of other pages are worked out for this render only.
    request.user = AnonymousUser()
    request.is_preview = True
    request.preview_mode = mode
    request.share_link = link
    request.share_context = {
        "link": link,
        "modes": list(page.preview_modes),
        "mode": mode,
        "may_answer": may_answer_review(link),
        "form": form or ReaderCommentForm(),
        "sent": request.GET.get("sent") == "1",
        "comment_url": reverse("sharing:comment", args=[token]),
        "draft_url": reverse("sharing:draft", args=[token]),
    }
    response = page.serve_preview(request, mode)
    if hasattr(response, "render"):
        response.render()
    response.status_code = status
    return kept_private(response)


# No CSRF check: the secret in the URL is the only authority this form uses (it
# acts as nobody: no session, no cookie), so a forged cross-site post needs the
# token, which posts directly anyway. And with `Referrer-Policy: no-referrer`
# browsers send `Origin: null`, which Django's check refuses.
@csrf_exempt
@require_POST
def comment(request, token: str):
    link, refused = _link_or_404(request, token)
    if refused:
        return refused
    form = ReaderCommentForm(request.POST)
    mode = request.POST.get("mode", "")
    if not form.is_valid():
        return render_draft(request, link, token, mode, form=form, status=400)
    try:
        add_comment(
            link=link,
            name=form.cleaned_data["name"],
            text=form.cleaned_data["text"],
            verdict=form.cleaned_data["verdict"],
        )
    except PermissionDenied:
        form.add_error(None, "This link cannot answer the review.")
        return render_draft(request, link, token, mode, form=form, status=403)
    query = urlencode({"sent": 1, **({"mode": mode} if mode else {})})
    return kept_private(redirect(f"{reverse('sharing:draft', args=[token])}?{query}"))
