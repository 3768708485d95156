"""Every public surface that can show an article, read as an anonymous reader:
what the consistency tests (test_consistency.py, test_consistency_processes.py)
check after each kind of change."""

import re

MOST_READ = "Most read this week"


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
