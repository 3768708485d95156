"""Every absolute URL the public site emits is on SITE_URL, whatever Host header a
proxy passed on: the surfaces are read with Host 127.0.0.1:8000, as a proxy that
does not forward the reader's Host would send it."""

import re

import pytest
from django.core import mail

from articles.factories import ArticlePageFactory
from cms.factories import ImageFactory, UserFactory
from cms.public_address import sync_site_record

from .surfaces import LEAKS, PUBLIC, public_surfaces

pytestmark = pytest.mark.django_db

INTERNAL_HOST = "127.0.0.1:8000"


@pytest.fixture
def public_address(settings, home_page):
    settings.SITE_URL = PUBLIC
    settings.WAGTAILADMIN_BASE_URL = PUBLIC
    settings.WAGTAILAPI_BASE_URL = PUBLIC
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    sync_site_record()


@pytest.fixture
def article(public_address, article_index):
    author = UserFactory(username="ada", first_name="Ada", last_name="Lovelace")
    article = ArticlePageFactory(
        parent=article_index,
        title="Engines and looms",
        slug="engines",
        author=author,
        featured_image=ImageFactory(title="Loom"),
    )
    article.tags.add("machines")
    article.save_revision().publish()
    return article


def read(client, path: str):
    response = client.get(path, HTTP_HOST=INTERNAL_HOST)
    body = b"".join(response) if response.streaming else response.content
    return response, body.decode()


def test_no_public_surface_names_an_internal_host(client, article):
    for name, path in public_surfaces(article.pk, article.url).items():
        response, body = read(client, path)
        assert response.status_code in (200, 302, 404), (name, response.status_code)
        leaked = LEAKS.findall(body + response.get("Location", ""))
        assert not leaked, f"{name} ({path}) leaks {sorted(set(leaked))}"


def test_every_absolute_url_is_on_the_public_address(client, article):
    """The other half: the surfaces do carry absolute URLs, and they are SITE_URL's."""
    urls = {}
    for name, path in public_surfaces(article.pk, article.url).items():
        response, body = read(client, path)
        urls[name] = re.findall(r"https?://[^\s\"'<>]+", body) + [
            response.get("Location", "")
        ]
    own = {
        name: [url for url in found if url and "schema.org" not in url]
        for name, found in urls.items()
    }
    expected_absolute = {
        "article",
        "rss",
        "atom",
        "sitemap",
        "robots",
        "api detail",
        "api find",
    }
    for name in expected_absolute:
        assert own[name], f"{name} carries no absolute URL"
    for name, found in own.items():
        for url in found:
            if url.startswith(("https://www.w3.org", "http://www.w3.org")):
                continue  # XML namespaces
            if "sitemaps.org" in url or "purl.org" in url or "youtube" in url:
                continue
            assert url.startswith(PUBLIC + "/"), f"{name}: {url}"


def test_the_article_head_and_api_speak_of_the_public_address(client, article):
    _, page = read(client, article.url)
    assert f'<link rel="canonical" href="{PUBLIC}/articles/engines/">' in page
    assert f'content="{PUBLIC}/articles/engines/"' in page  # og:url
    assert re.search(rf'"url": "{PUBLIC}/media/images/[^"]+"', page)  # JSON-LD
    found, _ = read(client, f"/api/v2/articles/find/?html_path={article.url}")
    # (Wagtail keeps the rest of the query string, here none: a bare "?")
    assert found["Location"].rstrip("?") == f"{PUBLIC}/api/v2/articles/{article.pk}/"


def test_the_admin_greets_editors_with_the_site_name(client, public_address, author):
    client.force_login(author)
    dashboard = client.get("/admin/", HTTP_HOST=INTERNAL_HOST).content.decode()
    assert "Presswagon" in dashboard
    assert not LEAKS.search(dashboard.split("<body", 1)[1].split("<script", 1)[0])


def test_password_reset_mail_links_to_the_public_address(client, settings, author):
    settings.SITE_URL = PUBLIC
    settings.WAGTAILADMIN_BASE_URL = PUBLIC
    settings.WAGTAIL_PASSWORD_RESET_ENABLED = True
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    author.email = "author@example.org"
    author.save()
    response = client.post(
        "/admin/password_reset/", {"email": author.email}, HTTP_HOST=INTERNAL_HOST
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert f"{PUBLIC}/admin/password_reset/confirm/" in message.body
    assert not LEAKS.search(message.body)
