"""The public site's template tags."""

from django.templatetags.static import static
from django.urls import reverse, set_script_prefix

from cms.templatetags.site_tags import asset, fixed_url


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


def test_fixed_url_follows_the_script_prefix():
    assert fixed_url("feeds:rss") == reverse("feeds:rss") == "/feeds/rss/"
    set_script_prefix("/news/")
    try:
        assert fixed_url("feeds:rss") == "/news/feeds/rss/"
    finally:
        set_script_prefix("/")
