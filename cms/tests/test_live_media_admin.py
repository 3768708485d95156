"""Images and documents that live pages use: what Authors and Editors may do to
them, through the admin views as a person would (cms/live_media.py)."""

import json

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection

from articles.factories import ArticlePageFactory
from cms.factories import ImageFactory
from cms.tests.images import png_bytes

pytestmark = pytest.mark.django_db


def uploaded_by(user, **fields) -> Image:
    # In the root collection, where the roles' grants are (the factory's default
    # is a collection of its own, outside the tree).
    root = Collection.get_first_root_node()
    return ImageFactory(uploaded_by_user=user, collection=root, **fields)


@pytest.fixture
def authors_image(author):
    return uploaded_by(author, title="Harbour at dawn")


@pytest.fixture
def live_article(article_index, editor, authors_image):
    """An Editor's approved, live article showing the Author's image."""
    return ArticlePageFactory(
        parent=article_index,
        title="Harbour reopens",
        author=editor,
        owner=editor,
        featured_image=authors_image,
    )


def image_form_data(image, **changes) -> dict:
    data = {
        "title": image.title,
        "description": image.description,
        "collection": Collection.get_first_root_node().pk,
        "tags": "",
        "focal_point_x": "",
        "focal_point_y": "",
        "focal_point_width": "",
        "focal_point_height": "",
    }
    data.update(changes)
    return data


def new_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("new.png", png_bytes((30, 20), "red"), "image/png")


def edit_image(client, image, **changes):
    return client.post(
        reverse("wagtailimages:edit", args=[image.pk]),
        image_form_data(image, **changes),
    )


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- Replacing the file --------------------------------------------------------


def test_author_cannot_replace_the_file_of_an_image_a_live_page_uses(
    client, author, authors_image, live_article
):
    original = authors_image.file.name
    client.force_login(author)

    response = edit_image(client, authors_image, file=new_file())

    assert response.status_code == 200  # the form again, with the error
    errors = response.context["form"].errors
    assert "This image is used by live pages (“Harbour reopens”)" in errors["file"][0]
    assert "ask an Editor, or upload a new image" in errors["file"][0]
    authors_image.refresh_from_db()
    assert authors_image.file.name == original
    assert (authors_image.width, authors_image.height) == (640, 400)


def test_an_image_in_a_live_body_counts_too(
    client, author, authors_image, article_index
):
    """Any reference the index records (here a body block) makes the image live."""
    ArticlePageFactory(
        parent=article_index,
        title="Photo essay",
        featured_image=None,
        body=[("image", {"image": authors_image, "caption": "", "alt_text": "x"})],
    )
    client.force_login(author)

    response = edit_image(client, authors_image, file=new_file())

    assert response.status_code == 200
    assert "(“Photo essay”)" in response.context["form"].errors["file"][0]


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Something else"},
        {"description": "A different alt text"},
        {
            "focal_point_x": "10",
            "focal_point_y": "10",
            "focal_point_width": "5",
            "focal_point_height": "5",
        },
    ],
)
def test_author_cannot_change_what_readers_see_of_a_live_image(
    client, author, authors_image, live_article, change
):
    client.force_login(author)
    alt_text = authors_image.description

    response = edit_image(client, authors_image, **change)

    assert response.status_code == 200
    assert "This image is used by live pages" in str(response.context["form"].errors)
    authors_image.refresh_from_db()
    assert authors_image.title == "Harbour at dawn"
    assert authors_image.description == alt_text != "A different alt text"
    assert authors_image.focal_point_x is None


def test_author_may_still_tag_a_live_image(client, author, authors_image, live_article):
    client.force_login(author)

    response = edit_image(client, authors_image, tags="harbour")

    assert response.status_code == 302
    assert list(authors_image.tags.names()) == ["harbour"]


def test_author_replaces_the_file_of_an_image_only_drafts_use(
    client, author, authors_image, article_index
):
    """A draft's image is no live content: the Author's own upload stays hers."""
    draft = ArticlePageFactory(
        parent=article_index, live=False, author=author, owner=author
    )
    draft.featured_image = authors_image
    draft.save_revision(user=author)
    client.force_login(author)

    response = edit_image(client, authors_image, file=new_file())

    assert response.status_code == 302
    authors_image.refresh_from_db()
    assert (authors_image.width, authors_image.height) == (30, 20)


def test_the_rule_follows_the_live_state(client, author, authors_image, live_article):
    live_article.unpublish()
    client.force_login(author)

    response = edit_image(client, authors_image, file=new_file())

    assert response.status_code == 302
    authors_image.refresh_from_db()
    assert (authors_image.width, authors_image.height) == (30, 20)


@pytest.mark.parametrize("who", ["editor", "superuser"])
def test_editors_replace_the_file_of_a_live_image(
    client, request, who, authors_image, live_article
):
    client.force_login(request.getfixturevalue(who))

    response = edit_image(client, authors_image, file=new_file(), title="Renamed")

    assert response.status_code == 302
    authors_image.refresh_from_db()
    assert (authors_image.width, authors_image.height) == (30, 20)
    assert authors_image.title == "Renamed"


# --- Deleting --------------------------------------------------------------------


def test_author_cannot_delete_an_image_a_live_page_uses(
    client, author, authors_image, live_article
):
    client.force_login(author)
    url = reverse("wagtailimages:delete", args=[authors_image.pk])
    edit = reverse("wagtailimages:edit", args=[authors_image.pk])

    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302
        assert response["Location"] == edit
        message = message_texts(response)[-1]
        assert "used by live pages (“Harbour reopens”)" in message
        assert "only an Editor may delete it" in message

    assert Image.objects.filter(pk=authors_image.pk).exists()
    live_article.refresh_from_db()
    assert live_article.featured_image_id == authors_image.pk


def test_author_cannot_delete_it_from_the_multiple_upload_page(
    client, author, authors_image, live_article
):
    client.force_login(author)

    response = client.post(
        reverse("wagtailimages:delete_multiple", args=[authors_image.pk])
    )

    assert response.status_code == 403
    body = json.loads(response.content)
    assert body["success"] is False
    assert "used by live pages" in body["error_message"]
    assert Image.objects.filter(pk=authors_image.pk).exists()


def bulk_delete_url(*images) -> str:
    ids = "&".join(f"id={image.pk}" for image in images)
    url = reverse("wagtail_bulk_action", args=["wagtailimages", "image", "delete"])
    return f"{url}?{ids}"


def test_author_cannot_bulk_delete_an_image_a_live_page_uses(
    client, author, authors_image, live_article
):
    unused = uploaded_by(author, title="Unused")
    client.force_login(author)

    response = client.post(bulk_delete_url(authors_image, unused))

    assert response.status_code == 302
    (message,) = message_texts(response)
    assert "No images were deleted" in message
    assert "“Harbour at dawn”" in message and "used by live pages" in message
    # The whole batch is refused, so nothing half-happens.
    assert Image.objects.filter(pk__in=[authors_image.pk, unused.pk]).count() == 2


def test_author_deletes_her_unused_image(client, author, authors_image):
    client.force_login(author)

    response = client.post(reverse("wagtailimages:delete", args=[authors_image.pk]))

    assert response.status_code == 302
    assert not Image.objects.filter(pk=authors_image.pk).exists()


def test_author_bulk_deletes_her_unused_images(client, author, authors_image):
    client.force_login(author)

    client.post(bulk_delete_url(authors_image))

    assert not Image.objects.filter(pk=authors_image.pk).exists()


@pytest.mark.parametrize("door", ["single", "bulk"])
def test_editor_deletes_an_image_a_live_page_uses(
    client, editor, authors_image, live_article, door
):
    client.force_login(editor)

    if door == "single":
        client.post(reverse("wagtailimages:delete", args=[authors_image.pk]))
    else:
        client.post(bulk_delete_url(authors_image))

    assert not Image.objects.filter(pk=authors_image.pk).exists()
    live_article.refresh_from_db()
    assert live_article.featured_image_id is None


def test_author_without_any_grant_on_an_image_gets_wagtails_refusal(
    client, author, other_author, article_index
):
    """Someone else's image: Wagtail's own permission check answers first, and
    says nothing about where the image is used."""
    image = uploaded_by(other_author)
    ArticlePageFactory(parent=article_index, featured_image=image)
    client.force_login(author)

    response = client.post(reverse("wagtailimages:delete", args=[image.pk]))

    assert response.status_code in (302, 403)
    assert not any("live pages" in text for text in message_texts(response))
    assert Image.objects.filter(pk=image.pk).exists()


# --- Documents -------------------------------------------------------------------


@pytest.fixture
def live_document(article_index, editor):
    document = Document.objects.create(
        title="Annual report",
        file=SimpleUploadedFile("report.pdf", b"%PDF-1.4 report"),
        uploaded_by_user=editor,
    )
    return document


def test_authors_cannot_touch_documents_at_all(client, author, live_document):
    """Authors hold no document grant (cms/roles.py), so no document changes under
    them, live or not: every document door refuses them."""
    client.force_login(author)
    edit = reverse("wagtaildocs:edit", args=[live_document.pk])
    delete = reverse("wagtaildocs:delete", args=[live_document.pk])

    for url in (reverse("wagtaildocs:index"), reverse("wagtaildocs:add"), edit, delete):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response["Location"] in ("/admin/", "/admin/login/")
    client.post(delete)
    client.post(
        edit,
        {
            "title": "Hijacked",
            "file": SimpleUploadedFile("evil.pdf", b"%PDF-1.4 evil"),
            "collection": Collection.get_first_root_node().pk,
        },
    )

    live_document.refresh_from_db()
    assert live_document.title == "Annual report"
    assert live_document.file.read() == b"%PDF-1.4 report"
