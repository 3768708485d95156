"""Where the "Pages" menu opens for Editors and Authors: the article index.

Wagtail opens the explorer at the deepest page covering all of a user's page
permissions. Editors hold theirs on the tree root (cms/roles.py), so they opened
at "Root" and had to click through Home to reach the articles they work on every
day. With a single article index the user may explore, the menu opens there
instead; superusers, and sites with several indexes, keep Wagtail's start. The
explorer's breadcrumbs still lead up to Home and Root.
"""

from wagtail.admin.ui.sidebar import PageExplorerMenuItem
from wagtail.admin.wagtail_hooks import ExplorerMenuItem
from wagtail.permissions import page_permission_policy

from articles.models import ArticleIndexPage


def article_index_start(user) -> ArticleIndexPage | None:
    """The single article index `user` may explore, if there is exactly one."""
    if not user.is_active or user.is_superuser:
        return None
    indexes = list(ArticleIndexPage.objects.only("pk", "path")[:2])
    if len(indexes) != 1:
        return None
    index = indexes[0]
    # Explore permission on the index or an ancestor covers the whole section
    # (what Wagtail's explorable_instances grants).
    granted = page_permission_policy.instances_with_direct_explore_permission(user)
    if any(index.path.startswith(page.path) for page in granted):
        return index
    return None


class ArticleIndexExplorerMenuItem(ExplorerMenuItem):
    """Wagtail's "Pages" menu item, opening at the article index for those who
    work there."""

    def render_component(self, request):
        start = article_index_start(request.user)
        if start is None:
            return super().render_component(request)
        return PageExplorerMenuItem(
            self.name,
            self.label,
            self.url,
            start.pk,
            icon_name=self.icon_name,
            classname=self.classname,
        )


def open_explorer_at_article_index(request, menu_items: list) -> None:
    """construct_main_menu: swap Wagtail's explorer item for ours (same name,
    label, link and place)."""
    for position, item in enumerate(menu_items):
        if isinstance(item, ExplorerMenuItem) and item.name == "explorer":
            menu_items[position] = ArticleIndexExplorerMenuItem(
                item.label,
                item.url,
                name=item.name,
                icon_name=item.icon_name,
                classname=item.classname,
                order=item.order,
            )
