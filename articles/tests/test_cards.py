"""Cards and prev/next links are fragments shared between pages (articles/cards.py):
rendered once per content change, never shown after the change that made them
stale."""

import pytest
from django.test.signals import template_rendered

from articles.cards import CARD_TEMPLATE, LINKS_TEMPLATE
from articles.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


class TemplatesRendered:
    def __init__(self):
        self.names = []

    def __enter__(self):
        template_rendered.connect(self.record)
        return self

    def __exit__(self, *exc):
        template_rendered.disconnect(self.record)

    def record(self, sender, template, **kwargs):
        self.names.append(template.name)


def publish(page, django_capture_on_commit_callbacks, **changes):
    for field, value in changes.items():
        setattr(page, field, value)
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish(skip_permission_checks=True)


@pytest.fixture
def trio(article_index):
    """An article with a related article (shared tag) older than it, and a newer
    one: the middle article shows a related card and both neighbour links."""
    older = ArticlePageFactory(parent=article_index, tags=["rail"], title="Older one")
    middle = ArticlePageFactory(parent=article_index, tags=["rail"], title="Middle")
    newer = ArticlePageFactory(parent=article_index, title="Newer one")
    return older, middle, newer


def test_second_render_reuses_the_cards_and_links(client, trio):
    older, middle, newer = trio
    with TemplatesRendered() as first:
        page = client.get(middle.url).content.decode()
    assert "Older one" in page and "Newer one" in page
    assert CARD_TEMPLATE in first.names and LINKS_TEMPLATE in first.names

    with TemplatesRendered() as second:
        again = client.get(middle.url).content.decode()
    assert again == page
    assert CARD_TEMPLATE not in second.names
    assert LINKS_TEMPLATE not in second.names


def test_a_published_change_reaches_every_card_and_link_of_it(
    client, trio, django_capture_on_commit_callbacks
):
    older, middle, newer = trio
    client.get(middle.url)  # cards and links cached

    publish(older, django_capture_on_commit_callbacks, title="Older, retitled")
    publish(newer, django_capture_on_commit_callbacks, title="Newer, retitled")

    page = client.get(middle.url).content.decode()
    assert page.count("Older, retitled") == 2  # related card and prev link
    assert "Newer, retitled" in page
    assert "Older one" not in page and "Newer one" not in page


def test_an_unpublished_article_leaves_cards_and_links(
    client, trio, django_capture_on_commit_callbacks
):
    older, middle, newer = trio
    client.get(middle.url)
    with django_capture_on_commit_callbacks(execute=True):
        older.unpublish()
    page = client.get(middle.url).content.decode()
    assert "Older one" not in page
    assert older.url not in page


def test_cards_keep_their_variant(client, article_index, trio):
    """The same article as a related card (compact) and as a listing card: two
    fragments, not one reused for the other."""
    older, middle, newer = trio
    client.get(middle.url)
    listing = client.get(article_index.url).content.decode()
    assert 'class="card card--compact"' not in listing
    assert "Older one" in listing
