"""Every public surface that can show an article, read as an anonymous reader:
what the consistency tests (test_consistency.py, test_consistency_processes.py)
check after each kind of change."""

import re

MOST_READ = "Most read this week"

# The public address the absolute-URL tests set, and what must never leak
# instead: the internal address, loopback names, the test client's host.
PUBLIC = "https://news.example.org"
LEAKS = re.compile(r"localhost|127\.0\.0\.1|testserver|\[::1\]", re.IGNORECASE)


def surface_urls(article, tag_slug: str, username: str) -> dict[str, str]:
    return {
        "page": article.url,
        "home": "/",
        "index": "/articles/",
        "tag archive": f"/articles/tag/{tag_slug}/",
        "author archive": f"/articles/author/{username}/",
        "rss": "/feeds/rss/",
        "sitemap": "/sitemap.xml",
        "api list": "/api/v2/articles/",
        "api detail": f"/api/v2/articles/{article.pk}/",
        "search": "/search/?q=sleeper",
        "most read": "/",
    }


def shown(client, name: str, url: str, marker: str) -> bool:
    """Whether `marker` is on the surface (a surface that is not there, a 404 or a
    login redirect, shows nothing)."""
    response = client.get(url)
    if response.status_code != 200:
        return False
    text = response.content.decode()
    if name == "most read":
        text = text[text.index(MOST_READ) :] if MOST_READ in text else ""
    elif name == "home":  # the lists, not the most-read section
        text = text.split(MOST_READ)[0]
    return marker in text


def cached_statuses(client, urls: dict[str, str]) -> dict[str, str]:
    """Read each surface twice; the page cache's verdict on the second read."""
    statuses = {}
    for name, url in urls.items():
        client.get(url)
        statuses[name] = client.get(url).get("X-Wagtail-Cache", "")
    return statuses


def where(client, urls: dict[str, str], marker: str) -> set[str]:
    return {name for name, url in urls.items() if shown(client, name, url, marker)}


def rendition_names(text: str, stem: str) -> list[str]:
    return re.findall(rf"{stem}[\w.-]*\.(?:jpg|jpeg|png|webp)", text)


def public_surfaces(article_id: int, article_url: str) -> dict[str, str]:
    """Every public surface that emits absolute URLs (or might leak a host), for
    an article tagged "machines" by user "ada"."""
    return {
        "home": "/",
        "index": "/articles/",
        "article": article_url,
        "tag archive": "/articles/tag/machines/",
        "author archive": "/articles/author/ada/",
        "index page 2": "/articles/?page=2",
        "rss": "/feeds/rss/",
        "atom": "/feeds/atom/",
        "tag rss": "/feeds/tag/machines/rss/",
        "author atom": "/feeds/author/ada/atom/",
        "sitemap": "/sitemap.xml",
        "robots": "/robots.txt",
        "api list": "/api/v2/articles/?fields=featured_image",
        "api detail": f"/api/v2/articles/{article_id}/",
        "api find": f"/api/v2/articles/find/?html_path={article_url}",
        "search": "/search/?q=engines",
        "not found": "/no-such-page/",
    }
