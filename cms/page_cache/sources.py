"""Objects that are not pages but show on cached pages (images, people, tags, the
site) declare what a change to them purges; this module does the rest.

    register_purge_source(Tag, fields=["name", "slug"], tags_for=tags_for_tag)

`tags_for(instance)` names the cached responses showing the object. A save that
changes one of `fields` purges the tags of the object as it was and as it is (a
renamed tag's old archive and new one); a save that changes none of them (a login
stamping `last_login`) purges nothing; a delete purges what showed it, worked out
before the rows go. Purges run after commit, like every other purge.
"""

from collections.abc import Callable, Iterable
from functools import partial

from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_save, pre_delete, pre_save

from .purge import purge_tags

OLD_TAGS = "_page_cache_old_tags"


def register_purge_source(
    model: type[models.Model],
    *,
    fields: Iterable[str],
    tags_for: Callable[[models.Model], set[str]],
) -> None:
    fields = tuple(fields)
    uid = f"page-cache-source-{model._meta.label_lower}"

    def before_save(sender, instance, raw=False, update_fields=None, **kwargs):
        setattr(instance, OLD_TAGS, None)
        if raw or (update_fields is not None and not set(update_fields) & set(fields)):
            return
        old = (
            model._default_manager.filter(pk=instance.pk).first()
            if instance.pk is not None
            else None
        )
        if old is None:
            setattr(instance, OLD_TAGS, set())  # new: shows nowhere yet
        elif any(_value(old, f) != _value(instance, f) for f in fields):
            setattr(instance, OLD_TAGS, tags_for(old))

    def after_save(sender, instance, created=False, raw=False, **kwargs):
        old_tags = getattr(instance, OLD_TAGS, None)
        if raw or old_tags is None:
            return
        tags = old_tags | tags_for(instance)
        transaction.on_commit(partial(purge_tags, tags))

    def before_delete(sender, instance, **kwargs):
        transaction.on_commit(partial(purge_tags, tags_for(instance)))

    pre_save.connect(before_save, sender=model, weak=False, dispatch_uid=uid + "-pre")
    post_save.connect(after_save, sender=model, weak=False, dispatch_uid=uid + "-post")
    pre_delete.connect(
        before_delete, sender=model, weak=False, dispatch_uid=uid + "-delete"
    )


def _value(instance: models.Model, field: str):
    value = getattr(instance, field)
    return value.name if isinstance(value, FieldFile) else value
