"""The admin's image upload form, hardened against hostile files.

Wagtail measures an upload's pixels by decoding it. Pillow refuses images over its
limit (set in CmsConfig.ready) and raises on truncated or corrupt files; unhandled,
either is a 500. Here both are the form errors Wagtail would show.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm


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
