"""Property-based fuzzing of every public URL: hostile input is a 4xx, never a 5xx.

Each public URL pattern (read from the resolver, so a new one cannot be skipped
silently: test_every_public_url_pattern_has_a_strategy) has a Hypothesis strategy
of hostile requests. For each request:
- the answer is not a 5xx;
- it comes within REQUEST_TIME_LIMIT;
- a GET or HEAD writes nothing; a refused POST (4xx) writes nothing.

The budget is fixed and the examples derandomized, so both backends of .ci/run
run the same requests; FUZZ_EXAMPLES raises it for a deeper local run. The count
per backend is printed at the end of the run (conftest.py).
"""

import os
import re
import string
import time
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits
from wagtail.documents.models import Document
from wagtail.models import PageViewRestriction, get_page_models

from articles.factories import ArticlePageFactory
from cms.factories import ImageFactory, UserFactory
from planning.services import regenerate_feed_token
from sharing.models import ShareLink, ShareLinkView
from sharing.services import create_share_link

from .fuzzing import (
    FUZZ_STATS,
    FuzzRequest,
    get,
    junk_date,
    junk_number,
    junk_text,
    junk_value,
    path_segment,
    query_pairs,
    raw_query_junk,
)

pytestmark = [
    pytest.mark.django_db,
    # ?updated_at=2000-01-22T00:00:00 is a fair hostile value; Django warns that
    # it has no time zone and reads it in the site's.
    pytest.mark.filterwarnings("ignore:DateTimeField .* received a naive datetime"),
]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "50"))  # per surface
# Generous for CI on two shared cores; a hostile request should never be slow.
REQUEST_TIME_LIMIT = 2.0

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,  # timed per request below, where a slow answer is the bug
    derandomize=True,  # the same examples on every run and both backends
    database=None,  # no .hypothesis/ directory in the checkout
    suppress_health_check=[
        # The site is built once per test and shared by its examples: GETs
        # change nothing, and POSTs may only add what a reader could.
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

# Public URL patterns left out, and why. Keys are qualified URL names, or route
# prefixes for whole includes.
EXCLUDED_PREFIXES = {
    "admin/": "Wagtail admin: every view needs a login (test_hostile_inputs.py "
    "checks anonymous access redirects); not reachable by a hostile visitor",
    "django-admin/": "Django admin: staff only, behind its login",
    "__debug__/": "debug toolbar: mounted only with DEBUG",
    "static/": "staticfiles: mounted only with DEBUG",
}

# A GET writes nothing, except the search statistics: counted in a buffer and
# written at most once per SEARCH_STATS_INTERVAL, on the first search after it
# (search/query_stats.py) - by design, and bounded.
# And a share link's views: each opening is recorded (sharing/services.py).
WRITES_ALLOWED_ON_GET = {
    Query._meta.db_table,
    QueryDailyHits._meta.db_table,
    ShareLink._meta.db_table,
    ShareLinkView._meta.db_table,
}
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|MERGE)\b", re.IGNORECASE)
WRITE_TABLE = re.compile(r'(?:INTO|UPDATE|FROM)\s+"?(\w+)"?', re.IGNORECASE)


def public_url_names() -> set[str]:
    """Qualified names of every URL pattern outside the excluded prefixes."""

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern).lstrip("^")
            if route.startswith(tuple(EXCLUDED_PREFIXES)):
                continue
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}{pattern.namespace}:"
                yield from walk(pattern.url_patterns, route, inner)
            elif isinstance(pattern, URLPattern):
                yield namespace + (pattern.name or route)

    return set(walk(get_resolver().url_patterns))


def routable_page_routes() -> set[str]:
    """Sub-routes of routable page types (tag and author archives...), which the
    resolver sees only as Wagtail's catch-all."""
    return {
        f"{model._meta.label}:{pattern.name}"
        for model in get_page_models()
        if issubclass(model, RoutablePageMixin)
        for pattern in model().get_subpage_urls()
    }


# --- the site every example runs against ---------------------------------------


@pytest.fixture
def site(article_index, settings):
    # Readers' POSTs would otherwise stop at the rate limit (a 429) before the
    # form is read; the limits have their own tests.
    settings.COMMENT_RATE_LIMIT = settings.RATING_RATE_LIMIT = "1000000/600"
    settings.VIEW_BEACON_RATE_LIMIT = "1000000/60"
    settings.SHARE_LINK_RATE_LIMIT = "1000000/60"
    alice = UserFactory(username="alice")
    article = ArticlePageFactory(
        parent=article_index, slug="real", tags=["rail", "night-train"], author=alice
    )
    ArticlePageFactory(parent=article_index, tags=["rail"], author=alice)
    private = ArticlePageFactory(parent=article_index, slug="members", author=alice)
    restriction = PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="pw"
    )
    document = Document.objects.create(
        title="Timetable", file=ContentFile(b"%PDF-1.4 timetable", name="timetable.pdf")
    )
    image = ImageFactory()
    shared = create_share_link(
        page=article, user=UserFactory(is_superuser=True), may_review=True
    )
    # Renditions are made on a page's first view, by design (once per image and
    # size): made here, so that any write during the fuzzing is a finding.
    warm = Client()
    for url in [
        "/",
        "/articles/",
        article.url,
        "/articles/tag/rail/",
        "/articles/author/alice/",
        "/api/v2/articles/",
        "/search/?q=rail",
        f"/api/v2/articles/{article.pk}/",
        shared.path,
        "/feeds/rss/",
        "/feeds/atom/",
    ]:
        assert warm.get(url).status_code == 200, url
    return SimpleNamespace(
        index=article_index,
        article=article,
        private=private,
        restriction=restriction,
        document=document,
        image=image,
        ids=[article.pk, private.pk, article_index.pk, 1, 0],
        usernames=["alice", "admin", "root"],
        tags=["rail", "night-train"],
        document_name=os.path.basename(document.file.name),
        image_path=image.file.name,
        share_token=shared.path.strip("/").rsplit("/", 1)[-1],
        feed_token=regenerate_feed_token(alice),
    )


# --- strategies per URL pattern -------------------------------------------------


def page_ids(site):
    return path_segment(
        st.sampled_from(site.ids).map(str), st.integers(0, 10**25).map(str)
    )


def api_parameters(site) -> dict:
    fields = st.sampled_from(
        [
            "*",
            "_",
            "id",
            "title",
            "intro",
            "author",
            "tags",
            "published_at",
            "updated_at",
            "first_published_at",
            "body",
            "featured_image_thumbnail",
            "-id",
            "-title",
            "author(x)",
            "tags(*)",
            "detail_url",
            "html_url",
            "parent",
        ]
    )
    order = st.sampled_from(
        [
            "random",
            "-random",
            "id",
            "-id",
            "title",
            "-title",
            "published_at",
            "-published_at",
            "updated_at",
            "first_published_at",
            "tags",
            "author",
            "slug",
            "-",
            "",
        ]
    )
    joined = lambda values: st.lists(values, min_size=1, max_size=4).map(",".join)  # noqa: E731
    ids = st.sampled_from(site.ids).map(str) | junk_number
    return {
        "fields": joined(fields),
        "order": joined(order),
        "offset": junk_number,
        "limit": junk_number,
        "search": junk_text,
        "search_operator": st.sampled_from(["and", "or", "AND", "", "x"]),
        "published_at": junk_date,
        "updated_at": junk_date,
        "first_published_at": junk_date,
        "tags": st.sampled_from(site.tags) | junk_text,
        "author": st.sampled_from(site.usernames) | ids,
        "id": ids,
        "title": junk_text,
        "slug": st.just("real") | junk_text,
        "type": st.sampled_from(
            ["articles.ArticlePage", "wagtailcore.Page", "x.y", "x"]
        ),
        "child_of": ids,
        "descendant_of": ids,
        "ancestor_of": ids,
        "translation_of": ids,
        "locale": st.sampled_from(["en", "fr", "xx"]) | junk_text,
        "site": st.just("testserver") | junk_text,
        "html_path": st.sampled_from(["/", "/articles/", "/articles/real/"])
        | junk_text,
        "format": st.sampled_from(["json", "api", "html", "xml"]),
    }


def page_paths(site, *segments: st.SearchStrategy) -> st.SearchStrategy:
    return st.tuples(*segments).map(lambda parts: "/" + "".join(f"{p}/" for p in parts))


def get_surfaces(site) -> dict[str, st.SearchStrategy]:
    """Strategies of hostile GET/HEAD requests, by qualified URL name."""
    page = {"page": junk_number}
    api = api_parameters(site)
    tag = path_segment(st.sampled_from(site.tags))
    username = path_segment(st.sampled_from(site.usernames))
    feed_kind = st.sampled_from(["rss", "atom"]) | path_segment()
    slug = path_segment(st.sampled_from(["real", "members", "articles"]))
    return {
        # Wagtail's catch-all: the home page, any page path, article pages.
        "wagtail_serve": st.one_of(
            get(st.just("/"), {"page": junk_number, "utm_source": junk_text}),
            get(
                st.lists(slug, max_size=4).map(
                    lambda s: "/" + "".join(f"{x}/" for x in s)
                )
            ),
            get(page_paths(site, st.just("articles"), slug), {"sent": junk_text}),
        ),
        "articles.ArticleIndexPage:index_route": get(st.just("/articles/"), page),
        "articles.ArticleIndexPage:tag_archive": get(
            page_paths(site, st.just("articles"), st.just("tag"), tag), page
        ),
        "articles.ArticleIndexPage:author_archive": get(
            page_paths(site, st.just("articles"), st.just("author"), username), page
        ),
        "search:search": get(
            st.just("/search/"),
            {
                "q": junk_text,
                "page": junk_number,
                "tag": st.sampled_from(site.tags) | junk_text,
            },
        ),
        "search:suggest": get(
            st.just("/search/suggest/"), {"q": junk_text, "page": junk_number}
        ),
        "feeds:rss": get(st.just("/feeds/rss/"), page),
        "feeds:atom": get(st.just("/feeds/atom/"), page),
        "feeds:tag_rss": get(
            page_paths(site, st.just("feeds"), st.just("tag"), tag, feed_kind)
        ),
        "feeds:tag_atom": get(
            page_paths(site, st.just("feeds"), st.just("tag"), tag, st.just("atom"))
        ),
        "feeds:author_rss": get(
            page_paths(site, st.just("feeds"), st.just("author"), username, feed_kind)
        ),
        "feeds:author_atom": get(
            page_paths(
                site, st.just("feeds"), st.just("author"), username, st.just("atom")
            )
        ),
        "sitemap": get(st.just("/sitemap.xml"), page),
        "robots_txt": get(st.just("/robots.txt")),
        "favicon": get(st.just("/favicon.ico")),
        "healthz": get(st.just("/healthz")),
        "readyz": get(st.just("/readyz")),
        "csrf_token": get(st.just("/csrf/")),
        "wagtailapi:articles:listing": get(st.just("/api/v2/articles/"), api),
        "wagtailapi:articles:detail": get(
            page_ids(site).map(lambda pk: f"/api/v2/articles/{pk}/"),
            {"fields": api["fields"], "format": api["format"]},
        ),
        "wagtailapi:articles:find": get(
            st.just("/api/v2/articles/find/"),
            {"html_path": api["html_path"], "id": api["id"], "fields": api["fields"]},
        ),
        # Reader endpoints answer GET only on the respond page; the others must
        # refuse a GET (405) without reading anything.
        "engagement:respond": get(
            page_ids(site).map(lambda pk: f"/reader/pages/{pk}/respond/"),
            {"sent": st.sampled_from(["comment", "rating"]) | junk_text},
        ),
        "engagement:comment": get(
            page_ids(site).map(lambda pk: f"/reader/pages/{pk}/comments/")
        ),
        "engagement:rating": get(
            page_ids(site).map(lambda pk: f"/reader/pages/{pk}/rating/")
        ),
        "engagement:view": get(
            page_ids(site).map(lambda pk: f"/reader/pages/{pk}/view/")
        ),
        "wagtaildocs_serve": get(
            st.tuples(
                path_segment(
                    st.just(str(site.document.pk)), st.integers(0, 10**25).map(str)
                ),
                path_segment(st.just(site.document_name)),
            ).map(lambda p: f"/documents/{p[0]}/{p[1]}")
        ),
        "wagtaildocs_authenticate_with_password": get(
            path_segment(st.just(str(site.restriction.pk))).map(
                lambda pk: f"/documents/authenticate_with_password/{pk}/"
            ),
            {"next": junk_text},
        ),
        "wagtailcore_authenticate_with_password": get(
            st.tuples(
                path_segment(st.just(str(site.restriction.pk))), page_ids(site)
            ).map(lambda p: f"/_util/authenticate_with_password/{p[0]}/{p[1]}/"),
            {"return_url": junk_text},
        ),
        "wagtailcore_login": get(st.just("/_util/login/"), {"next": junk_text}),
        "sharing:draft": get(
            share_tokens(site).map(lambda token: f"/share/{token}/"),
            {"mode": st.sampled_from(["", "card", "social"]) | junk_text},
        ),
        "sharing:comment": get(
            share_tokens(site).map(lambda token: f"/share/{token}/comment/")
        ),
        "planning_feed": get(
            path_segment(
                st.just(site.feed_token),
                st.text(
                    alphabet=string.ascii_letters + string.digits + "-_",
                    min_size=43,
                    max_size=43,
                ),
            ).map(lambda token: f"/calendar/ical/{token}.ics")
        ),
        "media": get(
            st.one_of(
                st.just(site.image_path),
                st.tuples(
                    st.sampled_from(["images", "original_images", "avatars"]),
                    path_segment(st.just(os.path.basename(site.image_path))),
                ).map("/".join),
                st.lists(
                    path_segment(
                        st.sampled_from(
                            [
                                "images",
                                "original_images",
                                "avatars",
                                "documents",
                                "..",
                                ".",
                            ]
                        )
                    ),
                    min_size=1,
                    max_size=5,
                ).map("/".join),
            ).map(lambda path: f"/media/{path}")
        ),
    }


def share_tokens(site) -> st.SearchStrategy:
    # The real token, tokens of the right shape, and the usual junk segments.
    shaped = st.text(
        alphabet=string.ascii_letters + string.digits + "-_", min_size=43, max_size=43
    )
    return path_segment(st.just(site.share_token), shaped)


def share_comment_form() -> st.SearchStrategy:
    fields = {
        "share-name": st.just("Lee") | junk_value,
        "share-text": st.just("Checked.") | junk_value,
        "share-verdict": st.sampled_from(["", "looks_good", "changes_requested"])
        | junk_value,
        "mode": st.sampled_from(["", "card"]) | junk_value,
    }
    return query_pairs(fields, max_size=6)


def comment_form(site):
    fields = {
        "name": st.just("Ada") | junk_value,
        "email": st.just("ada@example.com") | junk_value,
        "body": st.just("Fine words.") | junk_value,
        "website": st.just("") | junk_value,
        "submission_key": st.uuids().map(str) | junk_value,
        "score": st.sampled_from(["1", "5"]) | junk_value,
        "csrfmiddlewaretoken": junk_value,
    }
    return query_pairs(fields, max_size=8)


def post_surfaces(site) -> dict[str, st.SearchStrategy]:
    """Strategies of hostile POSTs to the views that take them, by URL name."""
    form = comment_form(site)
    to = lambda paths: st.builds(  # noqa: E731
        FuzzRequest,
        method=st.just("POST"),
        path=paths,
        query=form,
        raw_query=raw_query_junk,
    )
    reader = lambda action: to(  # noqa: E731
        page_ids(site).map(lambda pk: f"/reader/pages/{pk}/{action}/")
    )
    return {
        "engagement:comment": reader("comments"),
        "engagement:rating": reader("rating"),
        "engagement:view": reader("view"),
        "engagement:respond": reader("respond"),
        "wagtailcore_authenticate_with_password": to(
            page_ids(site).map(
                lambda pk: (
                    f"/_util/authenticate_with_password/{site.restriction.pk}/{pk}/"
                )
            )
        ),
        "wagtaildocs_authenticate_with_password": to(
            st.just(f"/documents/authenticate_with_password/{site.restriction.pk}/")
        ),
        "wagtailcore_login": to(st.just("/_util/login/")),
        "sharing:comment": st.builds(
            FuzzRequest,
            method=st.just("POST"),
            path=share_tokens(site).map(lambda token: f"/share/{token}/comment/"),
            query=share_comment_form(),
            raw_query=raw_query_junk,
        ),
        # Views that only read: a POST must be refused, not half-processed.
        "read-only views": to(
            st.sampled_from(
                [
                    "/",
                    "/articles/",
                    "/articles/real/",
                    "/search/",
                    "/search/suggest/",
                    "/csrf/",
                    "/feeds/rss/",
                    "/api/v2/articles/",
                    "/sitemap.xml",
                ]
            )
        ),
    }


# --- the properties -------------------------------------------------------------

BROWSERS = st.sampled_from(
    ["Mozilla/5.0 Firefox/130", "", "curl/8", "\x00", "x" * 3000, "Mozilla/5.0 ü😀"]
)


def _writes(queries) -> set[str]:
    """Tables written by the captured queries."""
    tables = set()
    for query in queries:
        if WRITE.match(query["sql"]):
            match = WRITE_TABLE.search(query["sql"])
            tables.add(match.group(1) if match else query["sql"][:60])
    return tables


def _send(client: Client, request: FuzzRequest, **headers):
    sender = getattr(client, request.method.lower())
    if request.method == "POST":
        # A form body as browsers send it, repeated names included.
        return sender(
            request.path,
            request.encoded_query,
            content_type="application/x-www-form-urlencoded",
            **headers,
        )
    return sender(request.url, **headers)


def _check(request, response, elapsed, queries, stats):
    stats["server_errors"] += response.status_code >= 500
    assert response.status_code < 500, f"{response.status_code} for {request!r}"
    assert elapsed < REQUEST_TIME_LIMIT, f"{elapsed:.2f}s for {request!r}"
    written = _writes(queries)
    if request.method in ("GET", "HEAD"):
        assert written <= WRITES_ALLOWED_ON_GET, f"{request!r} wrote {written}"
    elif response.status_code >= 400:
        assert not written, (
            f"refused {request!r} ({response.status_code}) wrote {written}"
        )


@pytest.fixture
def stats(request):
    totals = request.config.stash.setdefault(
        FUZZ_STATS,
        {
            "requests": 0,
            "server_errors": 0,
            "backend": connection.vendor,
            "surfaces": set(),
        },
    )
    return totals


# The surfaces, named as the resolver names their patterns; the coverage test
# below holds these lists to the resolver's.
GET_SURFACES = [
    "wagtail_serve",
    "articles.ArticleIndexPage:index_route",
    "articles.ArticleIndexPage:tag_archive",
    "articles.ArticleIndexPage:author_archive",
    "search:search",
    "search:suggest",
    "feeds:rss",
    "feeds:atom",
    "feeds:tag_rss",
    "feeds:tag_atom",
    "feeds:author_rss",
    "feeds:author_atom",
    "sitemap",
    "robots_txt",
    "favicon",
    "healthz",
    "readyz",
    "csrf_token",
    "wagtailapi:articles:listing",
    "wagtailapi:articles:detail",
    "wagtailapi:articles:find",
    "engagement:respond",
    "engagement:comment",
    "engagement:rating",
    "engagement:view",
    "wagtaildocs_serve",
    "wagtaildocs_authenticate_with_password",
    "wagtailcore_authenticate_with_password",
    "wagtailcore_login",
    "sharing:draft",
    "sharing:comment",
    "planning_feed",
    "media",
]
POST_SURFACES = [
    "engagement:comment",
    "engagement:rating",
    "engagement:view",
    "engagement:respond",
    "wagtailcore_authenticate_with_password",
    "wagtaildocs_authenticate_with_password",
    "wagtailcore_login",
    "sharing:comment",
    "read-only views",
]


def test_every_public_url_pattern_has_a_strategy():
    public = public_url_names() | routable_page_routes()
    assert public == set(GET_SURFACES), (
        "a public URL pattern without a fuzz strategy (add one to get_surfaces, or "
        "an exclusion with its reason to EXCLUDED_PREFIXES), or a stale one"
    )
    # Every view that accepts a POST from anyone is fuzzed with POSTs too.
    assert {name for name in POST_SURFACES if name != "read-only views"} <= public


def test_surface_strategies_match_their_names(site):
    assert list(get_surfaces(site)) == GET_SURFACES
    assert list(post_surfaces(site)) == POST_SURFACES


def _fuzz(surfaces: dict, send, stats) -> None:
    """EXAMPLES requests per surface (the site is built once for all of them),
    then one report of every surface that failed, each with its shrunk input."""
    failures = []
    for name, requests in surfaces.items():
        try:
            _fuzz_surface(name, requests, send, stats)
        except Exception as error:  # noqa: BLE001 - reported below, with the rest
            failures.append(f"{name}: {error}")
    assert not failures, "\n\n".join(failures)


def _fuzz_surface(name: str, requests, send, stats) -> None:
    @FUZZ_SETTINGS
    @given(request=requests, data=st.data())
    def fuzz(request, data):
        stats["requests"] += 1
        stats["surfaces"].add(name)
        send(request, data)

    fuzz()


def _timed(client: Client, request: FuzzRequest, **headers):
    with CaptureQueriesContext(connection) as queries:
        started = time.monotonic()
        response = _send(client, request, **headers)
        elapsed = time.monotonic() - started
    return response, elapsed, queries


def test_hostile_gets(site, stats):
    def send(request, data):
        user_agent = data.draw(BROWSERS, label="user agent")
        client = Client(raise_request_exception=False)
        response, elapsed, queries = _timed(client, request, HTTP_USER_AGENT=user_agent)
        _check(request, response, elapsed, queries, stats)

    _fuzz(get_surfaces(site), send, stats)


def test_hostile_posts(site, stats):
    def send(request, data):
        # With and without the CSRF check: without a token the answer is a 403
        # that writes nothing; with the check off, the form must refuse junk.
        client = Client(
            enforce_csrf_checks=data.draw(st.booleans(), label="csrf checked"),
            raise_request_exception=False,
        )
        response, elapsed, queries = _timed(
            client,
            request,
            HTTP_USER_AGENT=data.draw(BROWSERS, label="user agent"),
            HTTP_ACCEPT=data.draw(
                st.sampled_from(["application/json", "text/html", ""])
            ),
        )
        _check(request, response, elapsed, queries, stats)

    _fuzz(post_surfaces(site), send, stats)
