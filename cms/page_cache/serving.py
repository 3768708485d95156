"""The page cache's hook into Wagtail's page serving (front end, not admin)."""

from wagtail import hooks

from .tags import add_cache_tags, page_self_tag, page_tag


def tag_served_page(page, request, serve_args, serve_kwargs) -> None:
    # Every cached response names the page it serves, so changing the page purges
    # it: any change (`page:`), and one shown nowhere else too (`page-self:`).
    add_cache_tags(request, page_tag(page.pk), page_self_tag(page.pk))


def register_serving_hooks() -> None:
    hooks.register("before_serve_page", tag_served_page)
