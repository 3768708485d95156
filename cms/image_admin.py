"""The image admin's delete doors, with the live-media rule (cms/live_media.py).

Wagtail 7.4 has no before-delete hook for images and reads its permission policy
from a module global, so the single and multiple-upload delete views are Wagtail's
own views with one check added, served at Wagtail's own addresses
(cms/wagtail_hooks.py registers them ahead of wagtailimages' URLs, so every link
Wagtail renders reaches them). Bulk delete goes through the documented
`before_bulk_action` hook.
"""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.images.models import AbstractImage
from wagtail.images.views import images, multiple

from .live_media import refusal


class ImageDeleteView(images.DeleteView):
    """Wagtail's image delete view; refuses (GET and POST) an image a live page
    uses when the user's right to delete comes only from having uploaded it."""

    def dispatch(self, request, *args, **kwargs):
        # Wagtail's own check first: someone who may not delete at all gets its 403.
        if self.user_has_permission("delete"):
            reason = refusal(request.user, self.object, "delete")
            if reason:
                messages.error(request, reason)
                return redirect("wagtailimages:edit", self.object.pk)
        return super().dispatch(request, *args, **kwargs)


class MultipleImageDeleteView(multiple.DeleteView):
    """The multiple-upload page's delete button (JSON), with the same rule."""

    def post(self, request, *args, **kwargs):
        image = self.get_model().objects.filter(pk=kwargs[self.pk_url_kwarg]).first()
        if (
            image is not None
            and self.permission_policy.user_has_permission_for_instance(
                request.user, "delete", image
            )
        ):
            reason = refusal(request.user, image, "delete")
            if reason:
                return JsonResponse(
                    {"success": False, "error_message": reason}, status=403
                )
        return super().post(request, *args, **kwargs)


def image_delete_urls() -> list:
    """Wagtail's addresses for deleting an image, served by the views above."""
    return [
        path(
            "images/<int:image_id>/delete/",
            ImageDeleteView.as_view(),
            name="presswagon_image_delete",
        ),
        path(
            "images/multiple/<int:image_id>/delete/",
            MultipleImageDeleteView.as_view(),
            name="presswagon_image_delete_multiple",
        ),
    ]


def refuse_bulk_delete_of_live_images(request, action_type, objects, action):
    """before_bulk_action: the bulk delete deletes nothing if any chosen image is
    one the user may not delete (the whole batch, so nothing half-happens)."""
    if action_type != "delete":
        return None
    reasons = [
        f"“{image.title}”: {reason}"
        for image in objects
        if isinstance(image, AbstractImage)
        and (reason := refusal(request.user, image, "delete"))
    ]
    if not reasons:
        return None
    messages.error(
        request,
        _("No images were deleted. %(reasons)s") % {"reasons": " ".join(reasons)},
    )
    return redirect(action.next_url or reverse("wagtailimages:index"))
