"""One page creation at a time under each parent.

Two editors adding pages under the same parent at the same moment race inside
Wagtail: both pass the sibling slug check, and treebeard hands both the same tree
path (a unique column), so one of them gets a 500. Measured: 8 concurrent creations
of one slug through gunicorn gave two 500s (articles/tests/test_concurrent_creation).

The create view runs in one transaction that first takes a lock on the parent: on
PostgreSQL an advisory transaction lock (held until commit, across workers); on
SQLite the IMMEDIATE transaction mode (cms/settings/base.py) already takes the
database's write lock at BEGIN. The second editor's form is then validated against
the first one's page and comes back with the uniqueness error.

Wagtail's autosave creates the page from the create form (a JSON request), then
turns the form into that page's edit form. A click on Save or Publish that races
it still posts to the create view, and was refused as a duplicate of the editor's
own autosaved page. Pages created by autosave are remembered in the session for a
short while; a full create post from that session with the same title or slug
under the same parent is the same page, and is handed to its edit view instead.
"""

import json
import time

from django.db import connection, transaction
from django.urls import resolve, reverse
from wagtail.models import Page

LOCK_NAMESPACE = 4242  # pg_advisory_xact_lock(namespace, parent id)
INSIDE = "_page_creation_serialised"
AUTOSAVED = "page_creation_autosaved"  # session: {page id: created (epoch seconds)}
# Hydrating the form after the first autosave takes one request: well within this.
AUTOSAVE_CLAIM_SECONDS = 120


def create_under_parent_lock(request, parent_page, view, *args, **kwargs):
    """Run the create `view` for `request` holding the lock on `parent_page`."""
    setattr(request, INSIDE, True)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s, %s)",
                    [LOCK_NAMESPACE, parent_page.pk],
                )
        if not request.accepts("text/html"):  # autosave
            response = view(request, *args, **kwargs)
            _remember_autosaved(request, response)
            return response
        own = _own_autosaved_page(request, parent_page)
        if own is not None:
            _forget_autosaved(request, own.pk)
            edit_url = reverse("wagtailadmin_pages:edit", args=[own.pk])
            return resolve(edit_url).func(request, own.pk)
        return view(request, *args, **kwargs)


def _autosaved(request) -> dict[str, float]:
    now = time.time()
    return {
        pk: created
        for pk, created in request.session.get(AUTOSAVED, {}).items()
        if now - created < AUTOSAVE_CLAIM_SECONDS
    }


def _remember_autosaved(request, response) -> None:
    if response.status_code != 200 or response.get("Content-Type") != (
        "application/json"
    ):
        return
    payload = json.loads(response.content)
    if payload.get("success") and payload.get("pk"):
        autosaved = _autosaved(request)
        autosaved[str(payload["pk"])] = time.time()
        request.session[AUTOSAVED] = autosaved


def _forget_autosaved(request, page_id: int) -> None:
    autosaved = _autosaved(request)
    autosaved.pop(str(page_id), None)
    request.session[AUTOSAVED] = autosaved


def _own_autosaved_page(request, parent_page) -> Page | None:
    """The never-published page this session's autosave created moments ago under
    `parent_page`, with the title or slug the create form now posts."""
    ids = [int(pk) for pk in _autosaved(request)]
    if not ids:
        return None
    title = request.POST.get("title", "").strip()
    slug = request.POST.get("slug", "").strip()
    candidates = (
        parent_page.get_children()
        .filter(pk__in=ids, live=False, first_published_at__isnull=True)
        .order_by("-pk")
    )
    for page in candidates:
        if (title and page.title.lower() == title.lower()) or (
            slug and page.slug == slug
        ):
            return page
    return None


def is_serialised(request) -> bool:
    return getattr(request, INSIDE, False)
