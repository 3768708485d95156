"""Images and documents that live pages use change only with a reviewer's grant.

Wagtail lets anyone with a collection's `add` permission change and delete what they
uploaded (the ownership rule). For an image or document a live page shows, that
would put a change in front of readers with no review: the page reads the new file
at once. So for such media the ownership rule is not enough: changing what readers
see of it, or deleting it, needs the collection's own `change` / `delete` grant
(Editors hold it, Authors do not; superusers always may).

"Live pages use it" is Wagtail's reference index: it records the references in
each page's database row, which for a live page is its live content (drafts live in
revisions, which the index ignores). Every admin door that changes or deletes media
asks this module: the edit forms (cms/images.py), the delete views and the bulk
delete (cms/image_admin.py).
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model
from wagtail.documents.models import Document
from wagtail.images import get_image_model
from wagtail.images.models import Image
from wagtail.models import Page, ReferenceIndex
from wagtail.permission_policies.collections import CollectionPermissionPolicy

# Collection grants without the ownership rule: `change` here means the group was
# granted change on the collection, not that the user uploaded the file.
REVIEWER_POLICIES = {
    "image": CollectionPermissionPolicy(get_image_model(), auth_model=Image),
    "document": CollectionPermissionPolicy(get_document_model(), auth_model=Document),
}
# At most this many titles are named in a refusal; the usage page lists them all.
TITLES_NAMED = 3


def live_pages_using(obj: Model) -> list[Page]:
    """The live pages whose live content references `obj`, by title."""
    page_type = ContentType.objects.get_for_model(Page)
    page_ids = ReferenceIndex.get_references_to(obj).filter(base_content_type=page_type)
    ids = {int(pk) for pk in page_ids.values_list("object_id", flat=True)}
    if not ids:
        return []
    return list(Page.objects.live().filter(pk__in=ids).order_by("title"))


def _kind(obj: Model) -> str:
    return "document" if isinstance(obj, Document) else "image"


def may_alter_live(user, obj: Model, action: str) -> bool:
    """Whether `user` holds the collection's own `action` grant for `obj`."""
    policy = REVIEWER_POLICIES[_kind(obj)]
    return policy.user_has_permission_for_instance(user, action, obj)


def titles(pages: list[Page]) -> str:
    named = ", ".join(f"“{page.title}”" for page in pages[:TITLES_NAMED])
    more = len(pages) - TITLES_NAMED
    return named + (f" and {more} more" if more > 0 else "")


def refusal(user, obj: Model, action: str) -> str | None:
    """Why `user` may not `action` ("change" or "delete") `obj`, or None if they may.

    Asked once Wagtail's own permission check has let the user in.
    """
    if may_alter_live(user, obj, action):
        return None
    pages = live_pages_using(obj)
    if not pages:
        return None
    kind = _kind(obj)
    if action == "delete":
        advice = _("only an Editor may delete it.")
    elif kind == "document":
        advice = _("ask an Editor, or upload a new document and choose it in a draft.")
    else:
        advice = _("ask an Editor, or upload a new image and choose it in a draft.")
    used = (
        _("This document is used by live pages (%(titles)s)")
        if kind == "document"
        else _("This image is used by live pages (%(titles)s)")
    )
    return f"{used % {'titles': titles(pages)}}; {advice}"
