"""The production settings with MEDIA_STORAGE=s3, in real processes: `manage.py
configure_media_bucket` prepares a fresh bucket on the private SeaweedFS, gunicorn
serves an article, and its images load from the bucket as a browser would load
them (no credentials, allowed by the page's Content-Security-Policy), while a
document is a presigned redirect."""

import secrets
import subprocess
import sys
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from bench.harness import gunicorn
from cms.tests.live_site import ROOT, free_port, run_python, server_environment
from cms.tests.test_media_storage import (
    IMAGE_SIGNATURES,
    anonymous_get,
    page_image_urls,
)

SEED = """
import django; django.setup()
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.models import Collection
from articles.factories import ArticleIndexPageFactory, ArticlePageFactory
from cms.factories import ImageFactory
from home.models import HomePage
root = Collection.get_first_root_node()
index = ArticleIndexPageFactory(parent=HomePage.objects.get())
article = ArticlePageFactory(parent=index, featured_image=ImageFactory(collection=root))
document = Document.objects.create(
    title="Annual report", collection=root,
    file=ContentFile(b"%PDF-1.4 annual report", name="report.pdf"))
print(article.url, document.url)
"""


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_a_served_article_shows_images_from_the_bucket(tmp_path, seaweedfs):
    bucket = f"live-{secrets.token_hex(4)}"  # a new bucket: the command creates it
    env = {
        **server_environment(tmp_path, "s3live"),
        "MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": seaweedfs.endpoint_url,
        "AWS_S3_REGION_NAME": seaweedfs.region,
        "AWS_ACCESS_KEY_ID": seaweedfs.access_key,
        "AWS_SECRET_ACCESS_KEY": seaweedfs.secret_key,
    }
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input")
    configured = manage(env, "configure_media_bucket")
    assert f"Bucket {bucket}: created" in configured
    article_path, document_path = run_python(env, SEED).split()
    port = free_port()
    site = f"http://127.0.0.1:{port}"

    with gunicorn(env, port, workers=2):
        with urllib.request.urlopen(site + article_path, timeout=10) as response:  # noqa: S310
            html = response.read()
            policy = response.headers["Content-Security-Policy"]
        document = urllib.request.build_opener(NoRedirects).open
        try:
            document(site + document_path, timeout=10)
            raise AssertionError("the serve view should redirect")
        except urllib.error.HTTPError as redirect:
            status, location = redirect.code, redirect.headers["Location"]

    urls = set(page_image_urls(html))
    # Two formats x two widths (a 640 px original lists its 640 px rendition once,
    # cms/templatetags/responsive_images.py) and the og:image.
    assert len(urls) >= 5
    img_src = next(d for d in policy.split("; ") if d.startswith("img-src "))
    assert seaweedfs.endpoint_url in img_src.split()
    for url in urls:
        assert url.startswith(f"{seaweedfs.endpoint_url}/{bucket}/images/"), url
        status_code, content_type, body = anonymous_get(url)
        assert (status_code, content_type[:6]) == (200, "image/"), url
        assert body.startswith(IMAGE_SIGNATURES)

    assert status == 302
    assert urlsplit(location).path.startswith(f"/{bucket}/documents/report")
    assert "X-Amz-Signature=" in location
    assert anonymous_get(location)[::2] == (200, b"%PDF-1.4 annual report")
    unsigned = location.split("?")[0]
    assert anonymous_get(unsigned)[0] == 403
