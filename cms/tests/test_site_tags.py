"""The public site's template tags."""

from django.templatetags.static import static
from django.urls import set_script_prefix

from cms.templatetags.site_tags import asset


def test_asset_is_the_static_url_for_each_script_prefix():
    assert asset("css/site.css") == static("css/site.css")
    set_script_prefix("/news/")
    try:
        # Under a prefix Django puts a relative STATIC_URL beneath it; the
        # remembered URL must follow, not keep the first request's.
        assert asset("css/site.css") == static("css/site.css")
    finally:
        set_script_prefix("/")
    assert asset("css/site.css") == static("css/site.css")
