"""Services for an article's publication record."""

from django.utils import timezone


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
