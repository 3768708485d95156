"""The share dialog in the admin: create, list and revoke a page's links."""

import re

import pytest
from django.urls import reverse

from articles.tests.admin_forms import edit_url
from sharing.models import ShareLink

pytestmark = pytest.mark.django_db


def links_url(page) -> str:
    return reverse("sharing_admin:links", args=[page.pk])


def test_the_editor_offers_share_draft_to_who_may_share(
    client, draft, author, other_author
):
    client.force_login(author)
    assert links_url(draft) in client.get(edit_url(draft)).content.decode()
    client.force_login(other_author)
    assert links_url(draft) not in client.get(edit_url(draft)).content.decode()
    # Wagtail's admin answers a denied permission with a redirect to the dashboard.
    refused = client.post(
        links_url(draft), {"expires_in_hours": "72", "mode": "follow"}
    )
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    assert not ShareLink.objects.exists()


def test_creating_shows_the_link_once_and_lists_it(client, draft, author):
    client.force_login(author)
    response = client.post(
        links_url(draft),
        {
            "expires_in_hours": "24",
            "mode": "pin",
            "note": "For legal",
            "may_review": "on",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    (url,) = re.findall(r'value="(http[^"]+/share/[^"]+/)"', html)
    link = ShareLink.objects.get()
    assert link.created_by == author and link.may_review and link.note == "For legal"
    assert link.pinned_revision == draft.latest_revision
    assert client.get("/" + url.split("/", 3)[3]).status_code == 200
    listing = client.get(links_url(draft)).content.decode()
    assert url not in listing  # shown once only
    assert "Pinned" in listing and "For legal" in listing and "Open" in listing


def test_bad_expiry_is_a_form_error(client, draft, author):
    client.force_login(author)
    response = client.post(
        links_url(draft), {"expires_in_hours": "9999", "mode": "follow"}
    )
    assert response.status_code == 400
    assert not ShareLink.objects.exists()


def test_revoking_closes_the_link(client, draft, author, editor):
    client.force_login(author)
    html = client.post(
        links_url(draft), {"expires_in_hours": "72", "mode": "follow"}
    ).content.decode()
    (url,) = re.findall(r'value="(http[^"]+/share/[^"]+/)"', html)
    path = "/" + url.split("/", 3)[3]
    link = ShareLink.objects.get()
    client.force_login(editor)
    response = client.post(reverse("sharing_admin:revoke", args=[draft.pk, link.pk]))
    assert response.status_code == 302
    client.logout()
    assert client.get(path).status_code == 404
    link.refresh_from_db()
    assert link.revoked_by == editor
