"""The custom user model: its fields, its admin editor, and what deleting it keeps."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cms.tests.images import png_bytes


@pytest.mark.django_db
def test_readers_see_the_authors_bio_under_the_article(client, article_index):
    # The profile fields exist to be shown: the byline carries the author's bio
    # and name.
    from articles.factories import ArticlePageFactory

    writer = get_user_model().objects.create_user(
        username="bridges",
        password="pw-b-123",
        first_name="Ada",
        last_name="Span",
        bio="Writes about bridges.",
    )
    article = ArticlePageFactory(parent=article_index, author=writer)

    html = client.get(article.url).content.decode()

    assert "Writes about bridges." in html
    assert "Ada Span" in html


@pytest.mark.django_db
def test_admin_user_edit_form_shows_and_saves_bio_and_avatar(client, superuser):
    author = get_user_model().objects.create_user(
        username="writer", password="pw-w-123"
    )
    client.force_login(superuser)
    url = reverse("wagtailusers_users:edit", args=[author.pk])

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="bio"' in html
    assert 'name="avatar"' in html
    assert 'enctype="multipart/form-data"' in html

    response = client.post(
        url,
        {
            "username": "writer",
            "email": "writer@example.com",
            "first_name": "Wri",
            "last_name": "Ter",
            "is_active": "on",
            "bio": "Writes about bridges.",
            "avatar": SimpleUploadedFile(
                "me.png", png_bytes(), content_type="image/png"
            ),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    author.refresh_from_db()
    assert author.bio == "Writes about bridges."
    assert author.avatar.name.startswith("avatars/")


@pytest.mark.django_db
def test_admin_user_create_form_shows_profile_fields(client, superuser):
    client.force_login(superuser)
    html = client.get(reverse("wagtailusers_users:add")).content.decode()
    assert 'name="bio"' in html
    assert 'name="avatar"' in html


@pytest.mark.django_db
def test_deleting_a_user_keeps_the_pages_they_own(home_page):
    from wagtail.models import Page

    writer = get_user_model().objects.create_user(username="gone", password="pw-g-123")
    page = home_page.add_child(instance=Page(title="Kept", slug="kept", owner=writer))

    writer.delete()

    page.refresh_from_db()
    assert page.owner is None
    assert Page.objects.filter(pk=page.pk).exists()


@pytest.mark.django_db
def test_admin_shows_the_users_own_avatar(client, superuser):
    superuser.avatar = SimpleUploadedFile(
        "me.png", png_bytes(), content_type="image/png"
    )
    superuser.save()
    client.force_login(superuser)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert superuser.avatar.url in html
    assert "gravatar.com" not in html
