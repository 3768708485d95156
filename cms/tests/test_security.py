"""Security defaults: CSP, upload limits, password reset, debug toolbar, body limits."""

import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images import get_image_model

from cms.tests.images import png_bytes

pytestmark = pytest.mark.django_db
PROJECT = Path(__file__).resolve().parents[2]


def test_public_pages_carry_a_static_csp_also_on_cache_hits(client, home_page):
    miss, hit = client.get("/"), client.get("/")
    assert hit["X-Wagtail-Cache"] == "hit"
    assert miss["Content-Security-Policy"] == hit["Content-Security-Policy"]
    policy = hit["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "nonce" not in policy


def test_camera_microphone_and_location_are_off_also_on_cache_hits(client, home_page):
    miss, hit = client.get("/"), client.get("/")
    assert hit["X-Wagtail-Cache"] == "hit"
    for response in (miss, hit, client.get("/admin/login/")):
        policy = response["Permissions-Policy"]
        assert "camera=()" in policy
        assert "microphone=()" in policy
        assert "geolocation=()" in policy


def test_admin_is_left_to_wagtail(client):
    assert "Content-Security-Policy" not in client.get("/admin/login/")


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` (a decompression bomb)."""
    real = png_bytes((1, 1))
    ihdr_data = struct.pack(">II", width, height) + real[24:29]
    chunk = b"IHDR" + ihdr_data
    return (
        real[:8]
        + struct.pack(">I", 13)
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
        + real[33:]
    )


@pytest.mark.parametrize(
    "name, content, content_type, message",
    [
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "image/svg+xml",
            "Not a supported image format",
        ),
        ("bomb.png", None, "image/png", "pixels"),
        ("tall.png", "50M", "image/png", "pixels"),
        (
            "huge.png",
            b"\x89PNG" + b"0" * (10 * 1024 * 1024 + 1),
            "image/png",
            "too big",
        ),
        (
            "cut.png",
            png_bytes((300, 300), "red")[:120],
            "image/png",
            "Upload a valid image",
        ),
    ],
    ids=["svg", "decompression-bomb", "over-40-megapixels", "over-10MB", "truncated"],
)
def test_dangerous_image_uploads_are_refused_in_the_admin(
    client, editor, name, content, content_type, message
):
    if content is None:
        content = png_claiming(20_000, 20_000)  # 400 megapixels
    elif content == "50M":
        content = png_claiming(10_000, 5_000)
    client.force_login(editor)

    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Upload",
            "collection": 1,
            "file": SimpleUploadedFile(name, content, content_type=content_type),
        },
    )

    assert response.status_code == 200  # the form again, with an error
    assert message in response.content.decode()
    assert not get_image_model().objects.filter(title="Upload").exists()


def test_a_normal_image_upload_works(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Fine",
            "collection": 1,
            "file": SimpleUploadedFile("fine.png", png_bytes((40, 30)), "image/png"),
        },
    )
    assert response.status_code == 302
    assert get_image_model().objects.filter(title="Fine").exists()


def test_password_reset_is_offered_only_when_mail_is_configured(client, settings):
    # The test settings set no EMAIL_HOST: no reset link, and the form is gone.
    assert "password_reset" not in client.get("/admin/login/").content.decode()
    assert client.get("/admin/password_reset/").status_code == 404

    # With mail configured (EMAIL_HOST turns this on) the login page offers it, so
    # the absence above is the setting's doing, not a page that never shows it.
    settings.WAGTAIL_PASSWORD_RESET_ENABLED = True
    assert "password_reset" in client.get("/admin/login/").content.decode()


def test_more_than_10000_fields_is_a_400(home_page):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    token = browser.get("/csrf/").json()["token"]  # a reader with a CSRF cookie
    body = "&".join(
        [f"csrfmiddlewaretoken={token}", *(f"f{n}=1" for n in range(10_001))]
    )
    response = browser.post("/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400


def test_production_settings_never_install_the_debug_toolbar():
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        "print(json.dumps([settings.INSTALLED_APPS, settings.MIDDLEWARE,"
        " settings.DEBUG]))"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY="s3cr3t-" * 10,
        SITE_URL="https://news.example.com",
        DEBUG="true",
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    apps, middleware, debug = json.loads(result.stdout.strip().splitlines()[-1])
    assert "debug_toolbar" not in apps
    assert not any("debug_toolbar" in m for m in middleware)
    assert debug is False  # DEBUG=true in the environment cannot turn it on
