"""Every public page type held to validators nobody here wrote, in a real browser:
axe-core (WCAG 2.x A/AA and best practice) at desktop and phone width, and in dark
mode, and the Nu Html Checker (vnu) on the HTML as served.

axe must report no violation and nothing "incomplete" (needs review): an incomplete
item is a check axe could not decide, e.g. contrast over an image, and left alone it
hides a real failure. vnu must report no error; its warnings are printed.

The tools come from e2e/package.json (npm ci) and Java; `make test` says when they
are missing and leaves this module out. In CI (CI=true) a missing tool fails it:
a skip there would hide that the check never ran.
"""

import os
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from articles.factories import ArticlePageFactory
from cms.factories import ImageFactory, UserFactory
from cms.tests.images import png_bytes
from e2e.validators import missing, run_axe, run_vnu
from engagement.models import Comment, DailyPageViews, Rating

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

if lacking := missing():
    reason = "validators not installed: " + "; ".join(lacking)
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"{reason} (.ci/run installs them)", pytrace=False)
    pytest.skip(reason, allow_module_level=True)

VIEWPORTS = {
    "desktop": {"viewport": {"width": 1400, "height": 1000}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    # Dark mode swaps every colour (static/css/site.css): contrast is checked again.
    "desktop dark": {
        "viewport": {"width": 1400, "height": 1000},
        "color_scheme": "dark",
    },
}


@pytest.fixture
def public_site(article_index):
    """A small site with every page type and every part a page can show: featured
    and latest cards, a second index page, ratings, approved comments, most read,
    related articles, an author with a bio and avatar, one without an avatar, tags.
    Returns {page name: path}."""
    writer = UserFactory(
        username="alice", first_name="Alice", last_name="Munro", bio="Writes."
    )
    writer.avatar.save("alice.png", ContentFile(png_bytes((96, 96), "purple")))
    other = UserFactory(username="bob", first_name="Bob", last_name="Woodward")
    picture = ImageFactory()
    now = timezone.now()
    articles = [
        ArticlePageFactory(
            parent=article_index,
            title=f"Harbour story {n}",
            author=writer if n % 2 else other,
            featured_image=picture,
            featured=n < 3,
            tags=["harbour", "night"] if n % 3 else ["harbour"],
            # Microseconds, as real timestamps have: vnu rejects six digits.
            published_at=now - timedelta(days=n, microseconds=123456),
        )
        for n in range(13)  # past PER_PAGE (10): the index has a page 2
    ]
    lead = articles[0]
    lead.body.append(
        ("image", {"image": picture, "alt_text": "The quay", "caption": "At dusk."})
    )
    lead.body.append(("code", {"language": "python", "code": "print('ahoy')"}))
    lead.save_revision().publish()
    for n, article in enumerate(articles[:6]):
        DailyPageViews.objects.create(page=article, day=now.date(), views=50 - n)
        Rating.objects.create(page=article, reader=f"reader-{n}", score=1 + n % 5)
    Comment.objects.create(
        page=lead, name="Ada", email="ada@example.com", body="Good.", status="approved"
    )
    return {
        "home": "/",
        "article index": article_index.url,
        "article index page 2": f"{article_index.url}?page=2",
        "article": lead.url,
        "article without avatar": articles[2].url,
        "tag archive": f"{article_index.url}tag/night/",
        "author archive": f"{article_index.url}author/alice/",
        "search results": "/search/?q=harbour",
        "empty search": "/search/?q=zeppelin",
        "search form": "/search/",
        "respond page": f"/reader/pages/{lead.pk}/respond/",
        "404 page": "/no-such-page/",
    }


def visit(page, url: str) -> str:
    """Open `url` as a reader does; the HTML as the server sent it."""
    response = page.goto(url)
    assert response is not None
    html = response.text()
    page.wait_for_load_state("networkidle")  # reader.js has revealed its forms
    return html


def test_every_public_page_type_has_no_axe_findings(live_server, browser, public_site):
    found = []
    for viewport, options in VIEWPORTS.items():
        # The site's CSP (script-src 'self') would refuse the injected axe script.
        context = browser.new_context(bypass_csp=True, **options)
        try:
            page = context.new_page()
            for name, path in public_site.items():
                visit(page, f"{live_server.url}{path}")
                if name == "article":  # the reader forms are part of the check
                    assert page.locator("form[data-reader-form]").first.is_visible()
                violations, incomplete = run_axe(page)
                found += [f"{name} ({viewport}) violation: {v}" for v in violations]
                found += [f"{name} ({viewport}) needs review: {i}" for i in incomplete]
        finally:
            context.close()
    assert not found, "\n".join(found)


def test_every_public_page_type_is_valid_html(live_server, browser, public_site):
    context = browser.new_context()
    try:
        page = context.new_page()
        served = {
            name: visit(page, f"{live_server.url}{path}")
            for name, path in public_site.items()
        }
    finally:
        context.close()
    assert "<picture>" in served["article"]  # the pages are the real thing

    messages = run_vnu(served)

    for warning in (m for m in messages if m.kind == "warning"):
        print("vnu warning:", warning)
    errors = [str(m) for m in messages if m.kind == "error"]
    assert not errors, "\n".join(errors)
    # vnu read every page (a page it could not parse would be a "fatal" error).
    assert len(served) == len(public_site)
