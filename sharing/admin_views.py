"""The page's share links in the admin: create one (the share dialog), list them
with their views and answers, revoke any. For whoever may edit the page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST
from wagtail.models import Page

from .admin_forms import ShareLinkForm
from .models import ShareComment, ShareLink
from .services import create_share_link, may_share, revoke_share_link


def _shareable_page(request, page_id: int) -> Page:
    page = get_object_or_404(Page, pk=page_id).specific
    if not may_share(request.user, page):
        raise PermissionDenied
    return page


def share_links(request, page_id: int):
    page = _shareable_page(request, page_id)
    created = None
    form = ShareLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pinned = page.latest_revision if form.cleaned_data["mode"] == "pin" else None
        created = create_share_link(
            page=page,
            user=request.user,
            expires_in=form.expires_in,
            pinned_revision=pinned,
            note=form.cleaned_data["note"],
            may_review=form.cleaned_data["may_review"],
        )
        form = ShareLinkForm()
    links = (
        ShareLink.objects.for_page(page)
        .newest_first()
        .select_related("created_by", "revoked_by", "pinned_revision")
    )
    answers = (
        ShareComment.objects.filter(link__page=page)
        .select_related("link")
        .order_by("-created_at")[:50]
    )
    return TemplateResponse(
        request,
        "sharing/admin/share_links.html",
        {
            "page": page,
            "form": form,
            "created": created,
            # The address this admin is reached at: the site's own, as it answers.
            "created_url": request.build_absolute_uri(created.path) if created else "",
            "links": links,
            "answers": answers,
            "now": timezone.now(),
            "header_title": f"Share “{page.get_admin_display_title()}”",
            "page_title": "Share draft",
            "page_subtitle": page.get_admin_display_title(),
            "header_icon": "link",
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )


@require_POST
def revoke(request, page_id: int, link_id: int):
    page = _shareable_page(request, page_id)
    link = get_object_or_404(ShareLink, pk=link_id, page=page)
    revoke_share_link(link=link, user=request.user)
    messages.success(request, "The link is revoked: it now answers “not found”.")
    return redirect("sharing_admin:links", page_id=page.pk)
