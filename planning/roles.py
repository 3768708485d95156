"""Who plans: Editors (and superusers) create, assign and change any item;
Authors see and advance the items assigned to them."""

from cms.roles import AUTHORS, EDITORS


def is_editor(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return _group_names(user) & {EDITORS} != set()


def is_planner(user) -> bool:
    """Authors and Editors: whoever has a calendar and assignments."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(_group_names(user) & {AUTHORS, EDITORS})


def _group_names(user) -> set[str]:
    # Remembered on the user object: one query per request however often asked.
    names = getattr(user, "_planning_group_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._planning_group_names = names
    return names
