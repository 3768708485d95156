"""Stored related lists (articles/related.py): always what ranking would give, and
a change purges only the articles whose list it changes."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from articles import related
from articles.cache_tags import article_page
from articles.factories import ArticlePageFactory
from articles.models import ArticlePage, RelatedArticles
from articles.querysets import ArticleQuerySet
from articles.related_lists import split_ids

pytestmark = pytest.mark.django_db


def stored(article) -> list[int]:
    return split_ids(RelatedArticles.objects.get(article_id=article.pk).members)


def ranked(article) -> list[int]:
    """What ranking on the fly gives (the reference the stored lists must match)."""
    article = ArticlePage.objects.get(pk=article.pk)
    siblings = article.published_siblings().related_to(article)
    return list(siblings.values_list("pk", flat=True))


def related_section(page: str) -> str:
    start = page.index('<section class="related"')
    return page[start : page.index("</section>", start)]


def hours_ago(hours: float):
    return timezone.now() - datetime.timedelta(hours=hours)


@pytest.fixture
def rail(article_index):
    """Five rail articles (newest first r0..r4), two sharing `night` too, and an
    unrelated soup article."""
    articles = {
        f"r{n}": ArticlePageFactory(
            parent=article_index,
            tags=["rail", "night"] if n in (3, 4) else ["rail"],
            published_at=hours_ago(10 + n),
        )
        for n in range(5)
    }
    articles["soup"] = ArticlePageFactory(
        parent=article_index, tags=["cooking"], published_at=hours_ago(1)
    )
    return articles


def publish(article, capture, tags=None, **changes):
    article = ArticlePage.objects.get(pk=article.pk)
    for field, value in changes.items():
        setattr(article, field, value)
    if tags is not None:
        article.tags.set(tags)
    with capture(execute=True):
        article.save_revision().publish(skip_permission_checks=True)
    return article


@pytest.fixture
def purged():
    """The tags each purge asked for, in order."""
    with mock.patch.object(related, "purge_tags") as purge:
        yield lambda: [tag for call in purge.call_args_list for tag in call.args[0]]


def test_stored_lists_match_ranking_on_the_fly(rail):
    for article in rail.values():
        assert stored(article) == ranked(article), article.title
    assert stored(rail["r3"])[0] == rail["r4"].pk  # two shared tags beat newer ones
    assert stored(rail["soup"]) == []


def test_an_edit_of_the_text_ranks_nothing_and_purges_no_list(
    rail, purged, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    before = {name: stored(article) for name, article in rail.items()}
    with mock.patch.object(related, "rank", wraps=related.rank) as ranking:
        publish(rail["r0"], django_capture_on_commit_callbacks, intro="New intro")
    assert ranking.call_count == 0
    assert purged() == []
    assert {name: stored(article) for name, article in rail.items()} == before


def test_a_new_article_enters_the_lists_it_beats_and_purges_only_those(
    rail, article_index, purged, django_capture_on_commit_callbacks
):
    newcomer = ArticlePageFactory.build(
        author=rail["r0"].author,
        featured_image=None,
        live=False,
        published_at=None,
        title="Newcomer",
    )
    article_index.add_child(instance=newcomer)
    publish(
        newcomer,
        django_capture_on_commit_callbacks,
        tags=["night"],
        published_at=hours_ago(2),
    )
    # `night` articles r3 and r4 now list the newcomer; r0-r2 share no tag with
    # it, soup neither.
    for article in rail.values():
        assert stored(article) == ranked(article), article.title
    assert newcomer.pk in stored(rail["r3"])
    assert newcomer.pk in stored(rail["r4"])
    assert set(purged()) == {
        article_page(rail["r3"].pk),
        article_page(rail["r4"].pk),
        article_page(newcomer.pk),
    }


def test_losing_a_tag_leaves_lists_and_they_are_ranked_again(
    rail, purged, django_capture_on_commit_callbacks
):
    assert rail["r4"].pk in stored(rail["r3"])
    publish(rail["r4"], django_capture_on_commit_callbacks, tags=["rail"])
    for article in rail.values():
        assert stored(article) == ranked(article), article.title
    assert stored(rail["r3"])[0] != rail["r4"].pk
    assert article_page(rail["r3"].pk) in purged()


def test_unpublishing_and_deleting_take_an_article_out_of_every_list(
    rail, django_capture_on_commit_callbacks
):
    holders = [name for name, a in rail.items() if rail["r0"].pk in stored(a)]
    assert holders
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.get(pk=rail["r0"].pk).unpublish()
    assert all(rail["r0"].pk not in stored(rail[name]) for name in holders)

    victim = rail["r1"]
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.get(pk=victim.pk).delete()
    for name, article in rail.items():
        if name not in ("r0", "r1"):
            assert victim.pk not in stored(article)
            assert stored(article) == ranked(article)


def test_a_view_restriction_takes_an_article_out_of_the_lists(
    rail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=rail["r0"], restriction_type=PageViewRestriction.LOGIN
        )
    for name, article in rail.items():
        if name != "r0":
            assert rail["r0"].pk not in stored(article)
            assert stored(article) == ranked(article)


def test_the_article_page_shows_the_stored_list_without_ranking(client, rail):
    RelatedArticles.objects.filter(article_id=rail["r3"].pk).update(
        members=f",{rail['r1'].pk},"
    )
    with mock.patch.object(
        ArticleQuerySet, "related_to", side_effect=AssertionError("ranked")
    ):
        page = client.get(rail["r3"].url, {"nocache": 1}).content.decode()
    shown = related_section(page)
    assert rail["r1"].title in shown
    assert rail["r4"].title not in shown


def test_a_missing_list_is_ranked_on_render_then_stored_by_the_scheduler(
    client, rail, purged, monkeypatch
):
    RelatedArticles.objects.filter(article_id=rail["r3"].pk).delete()
    page = client.get(rail["r3"].url, {"nocache": 1}).content.decode()
    assert rail["r4"].title in related_section(page)  # ranked on the fly

    monkeypatch.setattr(related, "_last_backfill", 0.0)
    assert related.rank_missing_lists() == 1
    assert stored(rail["r3"]) == ranked(rail["r3"])
    assert purged() == [article_page(rail["r3"].pk)]
    assert related.rank_missing_lists() == 0  # not again within the interval
