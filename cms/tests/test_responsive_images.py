"""{% picture %} lists each width once, even from an original narrower than the
widths asked for (wagtail/wagtail#12389): valid HTML, a choice the browser can make."""

import re
from unittest import mock

import pytest
from django.template import Context, Template

from cms.factories import ImageFactory

pytestmark = pytest.mark.django_db

TEMPLATE = Template(
    "{% load wagtailimages_tags responsive_images %}"
    '{% picture image format-{webp,jpeg} width-{480,800,1200} sizes="100vw" alt="" %}'
)


def widths(srcset: str) -> list[str]:
    return re.findall(r" (\d+)w", srcset)


def test_a_narrow_original_gives_one_candidate_per_width():
    html = TEMPLATE.render(Context({"image": ImageFactory()}))  # 640 px wide

    srcsets = re.findall(r'srcset="([^"]+)"', html)
    assert len(srcsets) == 2  # the WebP <source> and the JPEG <img>
    for srcset in srcsets:
        assert widths(srcset) == ["480", "640"]


def test_a_wide_original_keeps_every_width():
    wide = ImageFactory(file__width=1600, file__height=1000)
    html = TEMPLATE.render(Context({"image": wide}))

    for srcset in re.findall(r'srcset="([^"]+)"', html):
        assert widths(srcset) == ["480", "800", "1200"]


FILL = Template(
    "{% load wagtailimages_tags responsive_images %}"
    '{% picture image format-jpeg fill-{400x250,800x500} sizes="100vw" alt="" %}'
)


def test_the_markup_is_built_once_and_follows_a_moved_focal_point(
    django_capture_on_commit_callbacks,
):
    image = ImageFactory(file__width=1600, file__height=1000)
    first = FILL.render(Context({"image": image}))
    assert FILL.render(Context({"image": image})) == first

    with mock.patch(
        "cms.templatetags.responsive_images.get_renditions_or_not_found"
    ) as renditions:
        FILL.render(Context({"image": image}))
    renditions.assert_not_called()  # from the fragment cache

    image.focal_point_x, image.focal_point_y = 1500, 900
    image.focal_point_width = image.focal_point_height = 100
    with django_capture_on_commit_callbacks(execute=True):
        image.save()
    moved = FILL.render(Context({"image": image}))
    assert moved != first  # crops around the new focal point: new renditions
    assert set(re.findall(r"/[^ \"]+\.jpg", moved)).isdisjoint(
        re.findall(r"/[^ \"]+\.jpg", first)
    )
