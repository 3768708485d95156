"""Engagement on a page type that is not an article (engagement/tests/testapp):
what a developer gets by adding the ReaderEngagement mixin, and what a page type
without it refuses."""

import pytest
from django.test import Client

from engagement import view_counts
from engagement.models import Comment, CommentStatus, DailyPageViews
from engagement.popular import refresh_popular
from engagement.services import comments_moderate
from engagement.tests.testapp.models import NotePage, PlainPage

pytestmark = pytest.mark.django_db

COMMENT = {"name": "Ada", "email": "ada@example.com", "body": "Noted, thanks."}
JSON = {"HTTP_ACCEPT": "application/json"}
BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"}


@pytest.fixture
def note(home_page):
    return home_page.add_child(
        instance=NotePage(title="A short note", slug="note", text="Hello readers.")
    )


@pytest.fixture
def plain(home_page):
    return home_page.add_child(instance=PlainPage(title="Plain", slug="plain"))


def test_note_page_shows_the_comment_form_and_no_rating(client, note):
    html = client.get(note.url).content.decode()
    assert f'action="/reader/pages/{note.pk}/comments/"' in html
    assert f'data-view-beacon="/reader/pages/{note.pk}/view/"' in html
    assert "rating__form" not in html  # the note opted out of ratings


def test_reader_comments_on_a_note_and_an_editor_approves_it(
    client, note, editor, django_capture_on_commit_callbacks
):
    client.get(note.url)
    assert client.get(note.url)["X-Wagtail-Cache"] == "hit"

    response = client.post(f"/reader/pages/{note.pk}/comments/", COMMENT, **JSON)
    assert response.status_code == 201
    comment = Comment.objects.get()
    assert comment.page_id == note.pk
    assert comment.status == CommentStatus.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        comments_moderate(
            comments=Comment.objects.all(),
            status=CommentStatus.APPROVED,
            moderator=editor,
        )

    page = client.get(note.url)
    assert page["X-Wagtail-Cache"] == "miss"  # the approval purged the cached note
    html = page.content.decode()
    assert "1 comment" in html and "Noted, thanks." in html


def test_the_respond_page_offers_only_what_the_note_accepts(client, note):
    html = client.get(f"/reader/pages/{note.pk}/respond/").content.decode()
    assert "comment-form" in html
    assert "rating__form" not in html


def test_the_respond_page_of_a_page_not_yet_live_is_never_cached(
    client, home_page, django_capture_on_commit_callbacks
):
    note = home_page.add_child(instance=NotePage(title="Soon", slug="soon", live=False))
    url = f"/reader/pages/{note.pk}/respond/"
    for _ in range(2):
        refused = client.get(url)
        assert refused.status_code == 404
        assert refused["X-Wagtail-Cache"] == "skip"
    with django_capture_on_commit_callbacks(execute=True):
        note.save_revision().publish()
    assert client.get(url).status_code == 200


def test_rating_a_note_is_refused(client, note):
    response = client.post(f"/reader/pages/{note.pk}/rating/", {"score": 4}, **JSON)
    assert response.status_code == 404


def test_views_of_a_note_are_counted_and_it_can_be_most_read(client, note, home_page):
    view_counts.get_buffer().drain()
    response = Client().post(f"/reader/pages/{note.pk}/view/", **BROWSER)
    assert response.status_code == 204
    view_counts.flush()
    assert DailyPageViews.objects.get(page=note).views == 1

    refresh_popular()
    home = client.get(home_page.url).content.decode()
    assert "Most read this week" in home
    assert f'href="{note.url}"' in home


@pytest.mark.parametrize("endpoint", ["comments", "rating", "view", "respond"])
def test_an_id_no_database_can_hold_is_a_404(client, endpoint):
    url = f"/reader/pages/{'9' * 20}/{endpoint}/"
    response = client.get(url) if endpoint == "respond" else client.post(url, COMMENT)
    assert response.status_code == 404


@pytest.mark.parametrize("endpoint", ["comments", "rating", "view", "respond"])
def test_a_page_type_that_does_not_opt_in_refuses_everything(client, plain, endpoint):
    url = f"/reader/pages/{plain.pk}/{endpoint}/"
    if endpoint == "respond":
        response = client.get(url)
    else:
        response = client.post(url, {**COMMENT, "score": 3}, **BROWSER, **JSON)
    assert response.status_code == 404
    assert not Comment.objects.exists()
