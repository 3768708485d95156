"""Creating, opening, pinning, expiring and revoking share links."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from articles.factories import ArticlePageFactory
from sharing.models import ShareLink
from sharing.services import (
    create_share_link,
    draft_shown,
    revoke_share_link,
    usable_link,
)
from sharing.tokens import digest

pytestmark = pytest.mark.django_db


def token_of(created) -> str:
    return created.url.rstrip("/").rsplit("/", 1)[-1]


def test_a_link_is_a_long_random_token_kept_only_as_a_digest(draft, author):
    created = create_share_link(page=draft, user=author, expires_in=timedelta(hours=1))
    token = token_of(created)
    assert created.url.endswith(f"/share/{token}/")
    assert len(token) >= 43  # 32 bytes from `secrets`
    link = ShareLink.objects.get()
    assert link.token_digest == digest(token) != token
    assert usable_link(token) == link
    assert usable_link(token[:-1] + ("A" if token[-1] != "A" else "B")) is None


def test_default_expiry_is_72_hours_and_at_most_30_days(draft, author):
    created = create_share_link(page=draft, user=author)
    left = created.link.expires_at - timezone.now()
    assert timedelta(hours=71) < left <= timedelta(hours=72)
    for bad in (timedelta(0), timedelta(days=30, seconds=1), timedelta(hours=-1)):
        with pytest.raises(ValidationError):
            create_share_link(page=draft, user=author, expires_in=bad)


def test_authors_share_their_own_drafts_editors_any_page_nobody_else(
    draft, author, other_author, editor, django_user_model
):
    create_share_link(page=draft, user=author)
    create_share_link(page=draft, user=editor)
    reader = django_user_model.objects.create_user(username="reader", password=None)
    for stranger in (other_author, reader, None):
        with pytest.raises(PermissionDenied):
            create_share_link(page=draft, user=stranger)
    assert ShareLink.objects.count() == 2


def test_a_followed_link_shows_a_revision_saved_after_it_was_made(draft, author):
    followed = create_share_link(page=draft, user=author)
    pinned = create_share_link(
        page=draft, user=author, pinned_revision=draft.latest_revision
    )
    editing = draft.get_latest_revision_as_object()
    editing.title = "A fresher title"
    editing.save_revision(user=author)
    assert draft_shown(usable_link(token_of(followed))).title == "A fresher title"
    assert draft_shown(usable_link(token_of(pinned))).title == "A fresh article"


def test_a_revision_of_another_page_cannot_be_pinned(draft, author, article_index):
    other = ArticlePageFactory(parent=article_index)
    with pytest.raises(ValidationError):
        create_share_link(
            page=draft, user=author, pinned_revision=other.save_revision()
        )


def test_expired_revoked_and_deleted_page_links_do_not_open(draft, author, editor):
    expired = create_share_link(page=draft, user=author)
    ShareLink.objects.filter(pk=expired.link.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    revoked = create_share_link(page=draft, user=author)
    revoke_share_link(link=revoked.link, user=editor)
    assert usable_link(token_of(expired)) is None
    assert usable_link(token_of(revoked)) is None
    deleted = create_share_link(page=draft, user=author)
    token = token_of(deleted)
    draft.delete()
    assert usable_link(token) is None


def test_only_who_may_share_may_revoke(draft, author, other_author):
    created = create_share_link(page=draft, user=author)
    with pytest.raises(PermissionDenied):
        revoke_share_link(link=created.link, user=other_author)
    assert usable_link(token_of(created)) is not None
