"""The admin's image form: hardened against hostile files, and careful with images
that live pages show.

Wagtail measures an upload's pixels by decoding it. Pillow refuses images over its
limit (set in CmsConfig.ready) and raises on truncated or corrupt files; unhandled,
either is a 500. Here both are the form errors Wagtail would show.

An image a live page uses changes only with a reviewer's grant (cms/live_media.py):
its file, title, alt text (description) and focal point all reach readers (the
picture, the crops of `fill-` renditions, the API's `alt`), so an Author's change to
any of them is a form error. Tags and collection never reach a page and stay open.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from .live_media import refusal

# What readers see of an image; the focal point fields are hidden inputs, so a
# change to them is reported on the form rather than on a field.
SHOWN_FIELDS = ("file", "title", "description")
FOCAL_POINT_FIELDS = (
    "focal_point_x",
    "focal_point_y",
    "focal_point_width",
    "focal_point_height",
)


class SafeWagtailImageField(WagtailImageField):
    def check_image_pixel_size(self, f):
        try:
            return super().check_image_pixel_size(f)
        except PILImage.DecompressionBombError as error:
            raise ValidationError(
                _("This image has too many pixels. Maximum pixels %(max)s."),
                params={"max": self.max_image_pixels},
                code="file_too_many_pixels",
            ) from error
        except (OSError, SyntaxError, ValueError) as error:
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from error


class ImageForm(BaseImageForm):
    file = SafeWagtailImageField(label=_("File"))

    def __init__(self, *args, user=None, **kwargs):
        # Wagtail's views pass the editing user; BaseCollectionMemberForm uses it
        # for the collection choices, and clean() for the live-image rule.
        self.user = user
        super().__init__(*args, user=user, **kwargs)

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None or self.user is None:
            return cleaned_data  # a new upload: no page uses it yet
        changed = set(self.changed_data)
        shown = [name for name in SHOWN_FIELDS if name in changed]
        focal_point = changed.intersection(FOCAL_POINT_FIELDS)
        if not (shown or focal_point):
            return cleaned_data
        reason = refusal(self.user, self.instance, "change")
        if reason is None:
            return cleaned_data
        for name in shown:
            self.add_error(name, reason)
        if focal_point:
            self.add_error(
                None,
                _("The focal point cannot change: %(reason)s") % {"reason": reason},
            )
        return cleaned_data
