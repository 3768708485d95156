"""/media/ on local disk: images answer, documents and everything else do not."""

from email.utils import formatdate
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from cms.factories import ImageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def image():
    return ImageFactory(title="Harbour")


@pytest.fixture
def document():
    Document = get_document_model()
    document = Document(title="Board minutes")
    document.file.save("minutes.txt", ContentFile(b"confidential"), save=False)
    document.save()
    return document


def test_a_rendition_is_served_with_its_bytes_and_type(client, image):
    rendition = image.get_rendition("fill-40x30|format-png")
    response = client.get(rendition.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    served = b"".join(response.streaming_content)
    assert served == Path(rendition.file.path).read_bytes()
    assert response["Cache-Control"] == "no-cache"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_unchanged_image_revalidates_to_a_304(client, image):
    rendition = image.get_rendition("width-20")
    modified = Path(rendition.file.path).stat().st_mtime
    response = client.get(
        rendition.url, HTTP_IF_MODIFIED_SINCE=formatdate(modified + 1, usegmt=True)
    )
    assert response.status_code == 304


def test_originals_are_served_for_the_apis_download_url(client, image):
    response = client.get(image.file.url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/")


def test_documents_are_never_served_from_media(client, document):
    """They go through /documents/<id>/, which checks collection privacy."""
    assert Path(document.file.path).exists()
    assert client.get(settings.MEDIA_URL + document.file.name).status_code == 404
    assert client.get(f"/documents/{document.pk}/minutes.txt").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "images/../documents/minutes.txt",
        "images/%2e%2e/documents/minutes.txt",
        "original_images/../../manage.py",
        "../manage.py",
        "images/%00.png",
        "images/",
        "images/missing.png",
        "secret.txt",
        # Longer than a file name or path may be (ENAMETOOLONG was a 500).
        "images/" + "a" * 256,
        "images/" + "%C3%BC" * 200,
        "images/" + "a/" * 2100 + "x.png",
    ],
)
def test_anything_else_is_a_404_never_a_500(client, document, path):
    assert client.get(settings.MEDIA_URL + path).status_code == 404


def test_only_reads_are_allowed(client, image):
    rendition = image.get_rendition("width-20")
    assert client.post(rendition.url).status_code == 405
    assert client.head(rendition.url).status_code == 200
