"""Names for what an image looks like at given sizes, for the caches of its
markup (cms/templatetags/responsive_images.py) and of its rendition links
(articles/seo.py).

The file and focal point are part of the name, so a replaced file or a moved
focal point never meets the old markup; the caches also expire with the purge
an image edit causes (cms/page_cache/signal_handlers.py).
"""

import hashlib


def image_version_name(
    kind: str, image, filter_specs, attrs: dict | None = None
) -> str:
    identity = repr(
        (
            image.file.name,
            image.focal_point_x,
            image.focal_point_y,
            image.focal_point_width,
            image.focal_point_height,
            list(filter_specs),
            sorted((key, str(value)) for key, value in (attrs or {}).items()),
        )
    )
    digest = hashlib.blake2b(identity.encode(), digest_size=12).hexdigest()
    return f"{kind}:{image.pk}:{digest}"
