"""Page permission checks that answer listings without a query per row.

Wagtail decides whether a user may delete a page by querying its descendants
(are any live, or owned by someone else?). The explorer asks for every row it
lists, so an Author's article index cost one query per article shown. An article
is a leaf: the page is its only descendant, and its own fields answer.

A page type may also name people who edit a page as its owner would
(`extra_editors()`: an article's co-authors): with the right to add pages there,
they may edit it and submit it for review; publishing stays with the publish
permission, which they do not get from this.
"""

from wagtail.models import PagePermissionTester


class LeafPagePermissionTester(PagePermissionTester):
    def can_edit(self):
        if super().can_edit():
            return True
        if (
            not self.user.is_active
            or self.page_is_root
            or "add" not in self.permissions
        ):
            return False
        # Asked only for people who could edit their own pages here but do not
        # own this one; a listing prefetches what the page type reads.
        extra_editors = getattr(self.page, "extra_editors", None)
        return extra_editors is not None and self.user.pk in extra_editors()

    def can_delete(self, ignore_bulk=False):
        if (
            self.page.numchild
            or self.page_is_root
            or not self.user.is_active
            or self.user.is_superuser
        ):
            return super().can_delete(ignore_bulk)
        # Wagtail's rules (PagePermissionTester.can_delete) with the descendants
        # being the page itself.
        if "change" in self.permissions:
            return "publish" in self.permissions or not self.page.live
        if "add" in self.permissions:
            owned = self.page.owner_id == self.user.pk
            if "publish" in self.permissions:
                return owned
            return owned and not self.page.live
        return False
