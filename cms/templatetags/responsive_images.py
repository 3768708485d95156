"""`{% picture %}` as Wagtail's, with one candidate per width in each srcset.

Wagtail does not upscale, so from an original narrower than the widths asked for
(an editor's 640 px upload under `width-{480,800,1200}`) the two larger renditions
both come out 640 px wide, and Wagtail lists both as "640w": invalid HTML (the Nu
Html Checker rejects it) and a choice the browser cannot make. Reported upstream as
wagtail/wagtail#12389, open in 7.4. Load this library after wagtailimages_tags, so
its `picture` is the one used:

    {% load wagtailimages_tags responsive_images %}
"""

from django import template
from wagtail.images.models import Picture
from wagtail.images.shortcuts import get_renditions_or_not_found
from wagtail.images.templatetags.wagtailimages_tags import PictureNode, image

from cms.image_identity import image_version_name
from cms.page_cache.derived import cached_fragment

register = template.Library()


class DistinctWidthPicture(Picture):
    @classmethod
    def get_width_srcset(cls, renditions_list) -> str:
        # The first rendition of each width: the one asked for at that size. Width
        # descriptors stay even for a single candidate, since `sizes` needs them.
        distinct = {}
        for rendition in renditions_list:
            distinct.setdefault(rendition.width, rendition)
        return ", ".join(f"{r.url} {r.width}w" for r in distinct.values())


class DistinctWidthPictureNode(PictureNode):
    def get_filters(self):
        # Wagtail builds new Filter objects on every render, and each parses its
        # spec again for every rendition looked up (Filter.operations is cached
        # per object): the node's specs are fixed, so build them once.
        try:
            return self._filters
        except AttributeError:
            self._filters = super().get_filters()
            return self._filters

    def render(self, context):
        # Wagtail's PictureNode.render, with DistinctWidthPicture for Picture.
        picture = self.validate_image(context)
        if not picture:
            return ""
        if self.output_var_name:
            renditions = get_renditions_or_not_found(picture, self.get_filters())
            context[self.output_var_name] = DistinctWidthPicture(renditions)
            return ""
        attrs = {key: value.resolve(context) for key, value in self.attrs.items()}
        # The same image at the same sizes is the same markup on every page (the
        # hero of an article, the card of it in listings): built once per
        # content change. Editing an image purges, so retires these.
        return cached_fragment(
            image_version_name("picture", picture, self.filter_specs, attrs),
            lambda: DistinctWidthPicture(
                get_renditions_or_not_found(picture, self.get_filters()), attrs
            ).__html__(),
        )


@register.tag("picture")
def picture(parser, token):
    parsed = image(parser, token)  # Wagtail's parsing and its error messages
    return DistinctWidthPictureNode(
        parsed.image_expr,
        parsed.filter_specs,
        output_var_name=parsed.output_var_name,
        attrs=parsed.attrs,
    )
