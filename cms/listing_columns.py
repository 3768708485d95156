"""Columns other apps add to a page type's explorer listing.

A page type's viewset knows its own columns; an app built on top of it (planning
adds each article's planning status) cannot be imported by it. Such an app
registers the column here, from its AppConfig.ready(), with a function that loads
what the column shows for the rows on screen in one query; the page type's
listing asks for its model's added columns and has them loaded.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from wagtail.admin.ui.tables import Column


@dataclass(frozen=True)
class AddedColumn:
    column: Column
    # Sets what `column` reads on each of the shown pages (one query for all).
    load: Callable[[list], None]


_added: dict[type, list[AddedColumn]] = {}


def add_listing_column(model: type, column: Column, load: Callable[[list], None]):
    if all(added.column.name != column.name for added in _added.get(model, [])):
        _added.setdefault(model, []).append(AddedColumn(column, load))


def added_columns(model: type) -> list[Column]:
    return [added.column for added in _added.get(model, [])]


def load_added_columns(model: type, pages: Iterable) -> None:
    pages = list(pages)
    if pages:
        for added in _added.get(model, []):
            added.load(pages)
