"""What other pages show of a page, as it was before a change: so a change that
other pages cannot show (an article's body) purges the page alone.

Every response showing a page carries its `page:` tag: its own page, and every
card, link and listing entry of it elsewhere. A page type that declares
`cache_listed_fields` (what those other places show) gets its stored values read
just before it is saved; when the change leaves all of them as they were, the
purge names `page-self:` (its own page only) instead of `page:`, and the type's
get_cache_purge_tags(listed=False) leaves out the listings it belongs to. With
no snapshot (a change made without a save, a second look) a change counts as
shown everywhere, as before.
"""

_BEFORE = "_cache_listed_state_before"
_PREVIOUS = "_cache_listed_state_previous"
_UNKNOWN = object()


def listed_state(page) -> dict | None:
    """The values of the page type's `cache_listed_fields` (and whatever its
    `extra_listed_state()` adds: an article's tags), or None when it declares
    none (every change is shown everywhere)."""
    fields = getattr(page, "cache_listed_fields", None)
    if fields is None:
        return None
    state = {name: getattr(page, name) for name in fields}
    extra = getattr(page, "extra_listed_state", None)
    if extra is not None:
        state.update(extra())
    return state


def remember_listed_state(sender, instance, update_fields=None, raw=False, **kwargs):
    """pre_save: read the stored values once per instance (the first save of a
    change: publishing saves more than once), before they are overwritten."""
    fields = getattr(instance, "cache_listed_fields", None)
    if fields is None or raw or instance.pk is None or hasattr(instance, _BEFORE):
        return
    if update_fields is not None and not set(update_fields) & set(fields):
        return  # e.g. saving a draft revision's pointers: nothing listed changes
    stored = type(instance)._default_manager.filter(pk=instance.pk).first()
    setattr(instance, _BEFORE, None if stored is None else listed_state(stored))


def listed_change(page) -> bool:
    """Whether the change to `page` may show outside its own page; consumes the
    snapshot (the next change takes its own)."""
    before = getattr(page, _BEFORE, _UNKNOWN)
    if before is _UNKNOWN:
        return True
    delattr(page, _BEFORE)
    setattr(page, _PREVIOUS, before)
    return before is None or before != listed_state(page)


def previous_listed_state(page) -> dict | None:
    """The listed state `page` had before the change being purged (the snapshot
    listed_change() consumed), or None when unknown: for a page type whose
    listings follow a listed value (an article's authors' archives), so the
    listings it left are purged too."""
    return getattr(page, _PREVIOUS, None) or getattr(page, _BEFORE, None)
