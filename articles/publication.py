"""Services for an article's publication record, and how the revisions
comparison shows it."""

from django.utils import timezone
from wagtail.admin import compare
from wagtail.admin.panels import FieldPanel


def stamp_first_publication(article) -> bool:
    """Give `article` its `published_at` on first publish; later publishes keep it.

    The stamp is Wagtail's `first_published_at`, so re-stamping after an editor
    clears the field is stable. The live revision gets the same value, so the
    editor sees the date the next time they open the article. Returns whether a
    stamp was written.
    """
    if article.published_at is not None:
        return False
    stamp = article.first_published_at or timezone.now()
    type(article).objects.filter(pk=article.pk).update(published_at=stamp)
    article.published_at = stamp

    revision = article.live_revision
    if revision is not None:
        revision.content["published_at"] = stamp.isoformat()
        revision.save(update_fields=["content"])
    return True


class PublicationStampComparison(compare.FieldComparison):
    """`published_at` in the revisions comparison, without the automatic stamp.

    The first publish writes the stamp into the live revision
    (stamp_first_publication), so comparing it with the draft before showed
    "Published at: None → <time>", a change nobody made. The stamp is the page's
    `first_published_at` (which every revision of the page carries), so a change
    from nothing to exactly that value is not shown; a date an editor typed is.
    """

    def __init__(self, field, obj_a, obj_b):
        super().__init__(field, obj_a, obj_b)
        stamp = obj_b.first_published_at or obj_a.first_published_at
        self.is_automatic_stamp = stamp is not None and {self.val_a, self.val_b} == {
            None,
            stamp,
        }

    def has_changed(self) -> bool:
        return super().has_changed() and not self.is_automatic_stamp


class PublicationStampPanel(FieldPanel):
    """FieldPanel for `published_at` whose comparison skips the automatic stamp."""

    def get_comparison_class(self):
        return PublicationStampComparison
