"""MEDIA_STORAGE and the AWS_* variables: what base.py builds from the environment.

Each case runs in a subprocess so the environment is exactly what the case says.
URLs are made offline (botocore signs without asking the server), so no S3 server
is needed here; cms/tests/test_media_storage.py uses a real one.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest

from cms.tests.conftest import media_storage_options

PROJECT_DIR = Path(__file__).resolve().parents[2]

PROBE = """
import json, django
from django.conf import settings
django.setup()
from django.core.files.storage import default_storage
print(json.dumps({
    "backend": settings.STORAGES["default"]["BACKEND"],
    "options": settings.STORAGES["default"].get("OPTIONS", {}),
    "serve_method": getattr(settings, "WAGTAILDOCS_SERVE_METHOD", None),
    "serve_media": settings.SERVE_MEDIA,
    "img_src": settings.CONTENT_SECURITY_POLICY["img-src"],
    "image_url": default_storage.url("images/a.fill-400x250.jpg"),
    "avatar_url": default_storage.url("avatars/me.png"),
    "document_url": default_storage.url("documents/minutes.pdf"),
}))
"""

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "probe-key",
    "AWS_SECRET_ACCESS_KEY": "probe-secret",
}


def run_probe(**env_overrides: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "MEDIA_"))
    }
    env.update(DJANGO_SETTINGS_MODULE="cms.settings.dev", **env_overrides)
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def probe(**env: str) -> dict:
    result = run_probe(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def test_nothing_set_keeps_media_on_local_disk():
    found = probe()

    assert found["backend"] == "django.core.files.storage.FileSystemStorage"
    assert found["serve_method"] is None
    assert found["img_src"] == ["'self'", "data:"]
    assert found["image_url"] == "/media/images/a.fill-400x250.jpg"
    assert found["serve_media"] is True  # the site answers /media/ itself


def test_a_bucket_name_alone_selects_object_storage():
    found = probe(AWS_STORAGE_BUCKET_NAME="media", **CREDENTIALS)

    assert found["backend"] == "cms.media_storage.MediaStorage"
    assert found["options"]["bucket_name"] == "media"
    assert found["options"]["file_overwrite"] is False
    assert found["serve_method"] == "redirect"
    assert found["serve_media"] is False  # the bucket answers, not the site


def test_an_s3_compatible_endpoint():
    found = probe(
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="media",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        AWS_S3_REGION_NAME="eu-central-1",
        **CREDENTIALS,
    )

    # The options the in-process tests use (cms/tests/conftest.py) are these.
    server = SimpleNamespace(
        bucket="media",
        endpoint_url="http://127.0.0.1:9000",
        region="eu-central-1",
        access_key="probe-key",
        secret_key="probe-secret",  # noqa: S106
    )
    assert found["options"] == media_storage_options(server)
    assert found["image_url"] == "http://127.0.0.1:9000/media/images/a.fill-400x250.jpg"
    assert found["avatar_url"] == "http://127.0.0.1:9000/media/avatars/me.png"
    assert found["img_src"] == ["'self'", "data:", "http://127.0.0.1:9000"]
    document = urlsplit(found["document_url"])
    assert f"{document.scheme}://{document.netloc}{document.path}" == (
        "http://127.0.0.1:9000/media/documents/minutes.pdf"
    )
    query = parse_qs(document.query)
    assert query["X-Amz-Expires"] == ["60"]
    assert query["X-Amz-Credential"][0].startswith("probe-key/")
    assert "X-Amz-Signature" in query


def test_a_custom_domain_serves_images_but_never_documents():
    found = probe(
        AWS_STORAGE_BUCKET_NAME="media",
        AWS_S3_ENDPOINT_URL="https://s3.example.net",
        AWS_S3_CUSTOM_DOMAIN="media.example.org",
        AWS_QUERYSTRING_EXPIRE="120",
        **CREDENTIALS,
    )

    assert found["image_url"] == "https://media.example.org/images/a.fill-400x250.jpg"
    assert found["img_src"] == ["'self'", "data:", "https://media.example.org"]
    # A CDN on the custom domain would serve the document to anyone: documents
    # stay presigned on the bucket endpoint.
    assert found["document_url"].startswith(
        "https://s3.example.net/media/documents/minutes.pdf?"
    )
    assert parse_qs(urlsplit(found["document_url"]).query)["X-Amz-Expires"] == ["120"]


@pytest.mark.parametrize(
    "region, style",
    [("", ""), ("eu-west-1", "path"), ("eu-west-1", "virtual")],
)
def test_the_policy_allows_images_from_where_amazon_s3_serves_them(region, style):
    found = probe(
        AWS_STORAGE_BUCKET_NAME="presswagon-media",
        AWS_S3_REGION_NAME=region,
        AWS_S3_ADDRESSING_STYLE=style,
        **CREDENTIALS,
    )

    assert "amazonaws.com" in found["image_url"]
    assert found["img_src"] == ["'self'", "data:", origin(found["image_url"])]


@pytest.mark.parametrize(
    "env, message",
    [
        ({"MEDIA_STORAGE": "s3"}, "MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME"),
        ({"MEDIA_STORAGE": "ftp"}, "MEDIA_STORAGE must be 'local' or 's3'"),
    ],
)
def test_incomplete_or_unknown_media_storage_stops_start_up(env, message):
    result = run_probe(**env)

    assert result.returncode != 0
    assert message in result.stderr
