"""Tag descriptions: written by Editors, shown on the tag archive and used as its
meta description; a change reaches the cached archive at once."""

import pytest
from taggit.models import Tag

from articles.factories import ArticlePageFactory
from articles.models import TagDescription

pytestmark = pytest.mark.django_db

ARCHIVE = "/articles/tag/rail/"
ADD = "/admin/snippets/articles/tagdescription/add/"


@pytest.fixture
def rail(article_index):
    ArticlePageFactory(parent=article_index, tags=["rail"])
    return Tag.objects.get(slug="rail")


def test_the_archive_shows_the_description_and_describes_itself_with_it(client, rail):
    TagDescription.objects.create(
        tag=rail, description="Trains, tracks and timetables."
    )
    html = client.get(ARCHIVE).content.decode()
    assert '<p class="lede">Trains, tracks and timetables.</p>' in html
    assert '<meta name="description" content="Trains, tracks and timetables.">' in html


def test_without_one_the_archive_gets_a_generated_description(client, rail):
    html = client.get(ARCHIVE).content.decode()
    assert (
        '<meta name="description" content="The latest articles tagged “rail”.">' in html
    )


def test_a_new_description_purges_the_cached_archive(
    client, rail, django_capture_on_commit_callbacks
):
    client.get(ARCHIVE)
    assert client.get(ARCHIVE)["X-Wagtail-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        TagDescription.objects.create(tag=rail, description="All aboard.")
    response = client.get(ARCHIVE)
    assert "All aboard." in response.content.decode()


def test_editors_write_descriptions_and_authors_cannot(client, rail, editor, author):
    client.force_login(author)
    client.post(ADD, {"tag": rail.pk, "description": "By an author"})
    assert not TagDescription.objects.exists()
    client.force_login(editor)
    response = client.post(ADD, {"tag": rail.pk, "description": "By an editor"})
    assert response.status_code == 302
    assert TagDescription.objects.get().description == "By an editor"
