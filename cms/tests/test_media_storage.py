"""Media on S3-compatible storage, against a real SeaweedFS (cms/media_storage.py).

Images in pages are plain object URLs that anyone may fetch and that never expire;
documents are never public objects: only Wagtail's serve view hands out a link to
one, after the collection's privacy check, and that link expires; a page whose
renditions exist renders without a single request to the bucket.
"""

import time
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection, CollectionViewRestriction

from articles.factories import ArticlePageFactory
from cms.factories import ImageFactory

pytestmark = pytest.mark.django_db

IMAGE_SIGNATURES = (b"\xff\xd8\xff", b"RIFF", b"\x89PNG")  # JPEG, WebP, PNG


def anonymous_get(url: str) -> tuple[int, str, bytes]:
    """Status, Content-Type and body of a GET with no credentials at all."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def page_image_urls(html: bytes | str) -> list[str]:
    """Every image URL a browser may load from the page: src, srcset, og:image."""
    soup = BeautifulSoup(html, "html.parser")
    urls = [img["src"] for img in soup.find_all("img")]
    for tag in soup.find_all(["img", "source"], srcset=True):
        urls += [item.split()[0] for item in tag["srcset"].split(",")]
    urls += [meta["content"] for meta in soup.find_all("meta", property="og:image")]
    return urls


def bucket_prefix(server) -> str:
    return f"{server.endpoint_url}/{server.bucket}/"


class BucketRequests:
    """Every request the storage's S3 client makes, as (operation, key), through
    botocore's own event hooks. The client is the calling thread's: Wagtail reads
    originals and looks up files on the thread that renders the page."""

    def __init__(self):
        self.client = default_storage.connection.meta.client
        self.calls: list[tuple[str, str | None]] = []
        self.client.meta.events.register("before-parameter-build.s3", self._record)

    def _record(self, model, params, **kwargs):
        self.calls.append((model.name, params.get("Key")))

    def close(self):
        self.client.meta.events.unregister("before-parameter-build.s3", self._record)


@pytest.fixture
def bucket_requests(s3_media):
    requests = BucketRequests()
    yield requests
    requests.close()


@pytest.fixture
def article_with_image(s3_media, article_index):
    image = ImageFactory(collection=Collection.get_first_root_node())
    return ArticlePageFactory(parent=article_index, featured_image=image)


# --- Images: public, and never expiring --------------------------------------------


def test_images_in_a_served_page_are_fetched_anonymously_from_the_bucket(
    client, s3_media, article_with_image
):
    image = article_with_image.featured_image
    assert image.file.name.startswith("original_images/")
    assert default_storage.exists(image.file.name)  # the original is on the bucket

    response = client.get(article_with_image.url)

    assert response.status_code == 200
    urls = page_image_urls(response.content)
    # The featured picture in two formats and two widths (the factory's original is
    # 640 px wide: of width-{480,800,1200} the two larger come out 640 px, listed
    # once, cms/templatetags/responsive_images.py), and the og:image.
    assert len(set(urls)) >= 5
    for url in set(urls):
        assert url.startswith(bucket_prefix(s3_media) + "images/"), url
        # Unsigned: nothing in it can expire while the page sits in a cache.
        assert urlsplit(url).query == "", url
        status, content_type, body = anonymous_get(url)
        assert status == 200, (url, body[:200])
        assert content_type.startswith("image/")
        assert body.startswith(IMAGE_SIGNATURES)


def test_the_original_is_public_too_like_media_on_local_disk(s3_media):
    image = ImageFactory(collection=Collection.get_first_root_node())
    image.file.open("rb")
    uploaded = image.file.read()
    image.file.close()

    status, _, body = anonymous_get(image.file.url)

    assert image.file.url == bucket_prefix(s3_media) + image.file.name
    assert (status, body) == (200, uploaded)


def test_image_urls_in_a_cached_page_outlive_any_signing_lifetime(
    client, s3_media_expiring, article_with_image
):
    """Presigned URLs here last 2 s; the cached page's images still load after."""
    first = client.get(article_with_image.url)
    time.sleep(3)
    cached = client.get(article_with_image.url)

    assert cached["X-Wagtail-Cache"] == "hit"
    assert cached.content == first.content
    for url in set(page_image_urls(cached.content)):
        assert anonymous_get(url)[0] == 200, url


def test_an_upload_never_replaces_an_object_of_the_same_name(s3_media):
    first = default_storage.save("images/same-name.txt", ContentFile(b"first"))
    second = default_storage.save("images/same-name.txt", ContentFile(b"second"))

    assert first == "images/same-name.txt"
    assert second != first
    assert anonymous_get(default_storage.url(first))[2] == b"first"
    assert anonymous_get(default_storage.url(second))[2] == b"second"


# --- Documents: private objects, links only through the serve view ----------------


@pytest.fixture
def document(s3_media):
    return Document.objects.create(
        title="Board minutes",
        file=ContentFile(b"%PDF-1.4 minutes of the board", name="minutes.pdf"),
        collection=Collection.get_first_root_node(),
    )


@pytest.fixture
def staff_collection(db):
    collection = Collection.get_first_root_node().add_child(name="Staff only")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.get(name="Editors"))
    return collection


@pytest.fixture
def staff_document(s3_media, staff_collection):
    return Document.objects.create(
        title="Salaries",
        file=ContentFile(b"name,salary\n", name="salaries.csv"),
        collection=staff_collection,
    )


def raw_object_url(server, document) -> str:
    return bucket_prefix(server) + document.file.name


def test_a_document_is_not_a_public_object(s3_media, document, staff_document):
    for doc in (document, staff_document):
        assert default_storage.exists(doc.file.name)
        status, _, body = anonymous_get(raw_object_url(s3_media, doc))
        assert status == 403, body[:200]
        assert b"AccessDenied" in body


def test_document_url_is_the_serve_view_never_the_object(s3_media, document):
    # Names are unique on the bucket (no overwrite): minutes.pdf, minutes_x1Yz.pdf.
    assert document.filename.startswith("minutes")
    assert document.url == f"/documents/{document.pk}/{document.filename}"


def test_the_serve_view_redirects_to_a_short_lived_presigned_url(
    client, s3_media, document
):
    response = client.get(document.url)

    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(raw_object_url(s3_media, document) + "?")
    query = parse_qs(urlsplit(location).query)
    assert query["X-Amz-Expires"] == ["60"]
    assert "X-Amz-Signature" in query
    assert anonymous_get(location)[::2] == (200, b"%PDF-1.4 minutes of the board")


def test_a_presigned_document_url_expires(client, s3_media_expiring, document):
    location = client.get(document.url)["Location"]
    assert anonymous_get(location)[0] == 200

    time.sleep(3.5)

    status, _, body = anonymous_get(location)
    assert status == 403
    assert b"expired" in body


def test_a_restricted_document_is_refused_to_an_anonymous_reader(
    client, s3_media, staff_document
):
    response = client.get(staff_document.url)

    # To the login page; no link to the bucket in the answer.
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == "/_util/login/"  # Wagtail's
    assert s3_media.endpoint_url not in response["Location"]
    assert s3_media.endpoint_url.encode() not in response.content


def test_a_restricted_document_is_refused_to_a_reader_outside_the_group(
    client, s3_media, staff_document, author
):
    client.force_login(author)

    response = client.get(staff_document.url)

    assert response.status_code == 302
    assert s3_media.endpoint_url not in response["Location"]


def test_a_permitted_reader_gets_a_working_presigned_url(
    client, s3_media, staff_document, editor
):
    client.force_login(editor)

    response = client.get(staff_document.url)

    assert response.status_code == 302
    assert response["Location"].startswith(raw_object_url(s3_media, staff_document))
    assert anonymous_get(response["Location"])[::2] == (200, b"name,salary\n")


def test_a_password_protected_document_shows_the_form_not_the_object(
    client, s3_media, document
):
    CollectionViewRestriction.objects.create(
        collection=document.collection,
        restriction_type=CollectionViewRestriction.PASSWORD,
        password="s3cret-pass",  # noqa: S106
    )

    response = client.get(document.url)

    assert response.status_code == 200
    assert b'name="password"' in response.content
    assert s3_media.endpoint_url.encode() not in response.content


@pytest.mark.parametrize(
    "path", ["/documents/999999999/minutes.pdf", "/documents/{pk}/other-name.pdf"]
)
def test_a_wrong_document_address_is_a_404(client, s3_media, document, path):
    assert client.get(path.format(pk=document.pk)).status_code == 404


# --- Renditions: the original is read once ----------------------------------------


def test_later_renders_read_nothing_from_the_bucket(
    client, settings, bucket_requests, article_with_image
):
    settings.WAGTAIL_CACHE = False  # every request renders the page
    original = article_with_image.featured_image.file.name

    assert client.get(article_with_image.url).status_code == 200
    # The first render made the renditions, reading the original to do so.
    assert ("GetObject", original) in bucket_requests.calls

    bucket_requests.calls.clear()
    assert client.get(article_with_image.url).status_code == 200
    assert bucket_requests.calls == []

    # Without the renditions cache they come from the database, still not the bucket.
    caches["renditions"].clear()
    assert client.get(article_with_image.url).status_code == 200
    assert bucket_requests.calls == []


def test_size_hash_and_dimensions_do_not_open_the_original(
    s3_media, bucket_requests, article_with_image
):
    spec = "fill-400x250|format-webp"
    article_with_image.featured_image.get_rendition(spec)
    stored = Image.objects.get(pk=article_with_image.featured_image.pk)
    stored.get_file_hash()  # computed once if the upload path left it empty
    stored.get_file_size()
    bucket_requests.calls.clear()

    image = Image.objects.get(pk=stored.pk)
    facts = (image.width, image.height, image.get_file_hash(), image.get_file_size())
    rendition = image.get_rendition(spec)

    assert facts[:2] == (640, 400)
    assert len(facts[2]) == 40
    assert (rendition.width, rendition.height) == (400, 250)
    assert rendition.url.startswith(bucket_prefix(s3_media) + "images/")
    assert bucket_requests.calls == []


def test_feeds_render_again_without_asking_the_bucket(
    client, settings, bucket_requests, article_with_image
):
    """A feed's enclosure length is the rendition's size: asked of the bucket once,
    not per entry on every render."""
    settings.WAGTAIL_CACHE = False
    assert client.get("/feeds/rss/").status_code == 200
    bucket_requests.calls.clear()
    feed = client.get("/feeds/rss/").content.decode()
    assert 'length="' in feed and 'length="0"' not in feed
    assert bucket_requests.calls == []
