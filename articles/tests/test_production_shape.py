"""The production shape, served for real: gunicorn on production settings with
local media (what `make serve` runs), its public address a name a proxy answers
(SITE_URL=https://news.example.org) while requests reach it on 127.0.0.1.

Every image a public surface names answers with an image, and no surface names
the internal address: what a new user saw broken (404 images, localhost links).
"""

import json
import re

import pytest
import requests

from cms.tests.live_site import running_site

from .surfaces import LEAKS, PUBLIC, public_surfaces

SEED = """
import json, django; django.setup()
from articles.factories import ArticleIndexPageFactory, ArticlePageFactory
from cms.factories import ImageFactory, UserFactory
from home.models import HomePage
index = ArticleIndexPageFactory(parent=HomePage.objects.get())
ada = UserFactory(username="ada", first_name="Ada", last_name="Lovelace")
article = ArticlePageFactory(
    parent=index, title="Engines and looms", slug="engines", author=ada,
    featured_image=ImageFactory(title="Loom"),
)
article.tags.add("machines")
article.save_revision().publish()
print(json.dumps({"id": article.pk, "url": article.url}))
"""

# /media/... wherever it appears: src, srcset, og:image, JSON-LD, enclosures, API.
MEDIA_URL = re.compile(r"(?:https?://[\w.:-]+)?/media/[^\s\"'<>,)]+")


@pytest.mark.django_db
def test_every_image_is_served_and_no_surface_names_an_internal_host(tmp_path):
    with running_site(
        tmp_path, "presswagon_shape", SEED, redis=False, site_url=PUBLIC
    ) as (base, seeded, _):
        seeded = json.loads(seeded)
        media = set()
        for name, path in public_surfaces(seeded["id"], seeded["url"]).items():
            response = requests.get(base + path, allow_redirects=False, timeout=10)
            assert response.status_code in (200, 302, 404), (name, response)
            text = response.text + response.headers.get("Location", "")
            leaked = sorted(set(LEAKS.findall(text)))
            assert not leaked, f"{name} ({path}) leaks {leaked}"
            media.update(MEDIA_URL.findall(text))

        renditions = {url for url in media if "/media/images/" in url}
        assert len(renditions) >= 3, media  # listing, page and social renditions
        assert any(url.startswith(PUBLIC) for url in media)  # og:image and kin
        for url in media:
            # Relative in <img>; absolute ones only on the public address.
            assert url.startswith(("/media/", PUBLIC + "/media/")), url
            # What the proxy at the public address would forward to us.
            image = requests.get(base + url.removeprefix(PUBLIC), timeout=10)
            assert image.status_code == 200, url
            assert image.headers["Content-Type"].startswith("image/"), url
            assert image.content[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"RIFF"), url
