"""Page permission checks that answer listings without a query per row.

Wagtail decides whether a user may delete a page by querying its descendants
(are any live, or owned by someone else?). The explorer asks for every row it
lists, so an Author's article index cost one query per article shown. An article
is a leaf: the page is its only descendant, and its own fields answer.
"""

from wagtail.models import PagePermissionTester


class LeafPagePermissionTester(PagePermissionTester):
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
