"""Many readers arriving at a page nobody has cached (just published, just
purged) cost one render: the first request renders it, the others wait for its
copy. Real processes: gunicorn as deployed (one process without Redis, three
sharing Redis), readers on threads of their own."""

import json
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest

from cms.page_cache.store import BUSY, CLAIMED, PASS, get_store
from cms.tests.live_site import running_site

pytestmark = pytest.mark.django_db

READERS = 50

SEED = """
import json, django; django.setup()
from wagtail.models import PageViewRestriction
from articles.factories import ArticleIndexPageFactory, ArticlePageFactory
from home.models import HomePage
index = ArticleIndexPageFactory(parent=HomePage.objects.get())
articles = [ArticlePageFactory(parent=index) for _ in range(3)]
locked = ArticlePageFactory(parent=index)
PageViewRestriction.objects.create(
    page=locked, restriction_type=PageViewRestriction.PASSWORD, password="pw"
)
print(json.dumps({"articles": [a.url for a in articles], "locked": locked.url}))
"""


def read(url: str) -> tuple[str, float]:
    started = time.monotonic()
    try:
        with urlopen(url, timeout=30) as response:  # noqa: S310 - loopback
            response.read()
            state = response.headers["X-Wagtail-Cache"]
    except HTTPError as error:
        state = error.headers["X-Wagtail-Cache"]
    return state, time.monotonic() - started


def readers_at_once(url: str) -> list[tuple[str, float]]:
    with ThreadPoolExecutor(READERS) as pool:
        return list(pool.map(read, [url] * READERS))


@pytest.mark.parametrize(
    "redis", [False, pytest.param(True, marks=pytest.mark.requires_redis)]
)
def test_concurrent_readers_of_an_uncached_page_cost_one_render(tmp_path, redis):
    # Readers wait for the first render however slow a loaded machine makes it:
    # what is counted is how many renders they cost, not how long one takes.
    patient = {"PAGE_CACHE_FILL_WAIT": "15"}
    with running_site(
        tmp_path,
        "presswagon_flight",
        SEED,
        redis=redis,
        workers=None,
        extra_env=patient,
    ) as (
        base,
        seeded,
        _env,
    ):
        seeded = json.loads(seeded)
        # Without Redis the server applies purges made in other processes (the
        # seed's, by the task worker) at its next look at the shared log, at most
        # a second apart; a render overlapping one is rightly not stored. Let it
        # catch up first.
        for _ in range(2):
            read(base + "/")
            time.sleep(1.1)
        for path in seeded["articles"]:
            states = [state for state, _ in readers_at_once(base + path)]
            assert states.count("miss") == 1, states
            assert states.count("hit") == READERS - 1, states

        # A page that cannot be cached (a password form is private): each reader
        # gets it, rendered for them.
        answers = readers_at_once(base + seeded["locked"])
        assert {state for state, _ in answers} == {"skip"}


def test_the_claim_on_a_missing_page():
    """One request claims a missing page; the others are told to wait, until the
    page proves uncacheable: then nobody waits for it for a while. (The store the
    suite runs on: local memory, or Redis shared by every worker.)"""

    store = get_store()
    key = "flight"
    assert store.claim_fill(key) == CLAIMED
    assert store.claim_fill(key) == BUSY
    store.end_fill(key, cacheable=True)  # stored: the next miss renders again
    assert store.claim_fill(key) == CLAIMED
    store.end_fill(key, cacheable=False)
    assert store.claim_fill(key) == PASS
    assert store.claim_fill(key) == PASS
