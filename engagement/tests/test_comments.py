"""Readers' comments: every validation path, abuse limits, display and escaping."""

import uuid
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.factories import ArticlePageFactory
from engagement.models import Comment, CommentStatus
from engagement.services import comments_moderate
from engagement.templatetags import engagement_tags

pytestmark = pytest.mark.django_db

VALID = {"name": "Ada", "email": "ada@example.com", "body": "A thoughtful reply."}
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def article(article_index):
    return ArticlePageFactory(parent=article_index, title="Night trains", slug="nt")


def comment_url(article) -> str:
    return f"/reader/pages/{article.pk}/comments/"


def post(client, article, data, **extra):
    return client.post(comment_url(article), data, **extra)


def test_comment_is_stored_for_moderation_and_not_shown(client, article):
    response = post(client, article, VALID, **JSON)
    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    comment = Comment.objects.get()
    assert (comment.page_id, comment.status) == (article.pk, CommentStatus.PENDING)
    assert "A thoughtful reply" not in client.get(article.url).content.decode()


def test_without_javascript_the_respond_page_thanks_the_reader(client, article):
    response = post(client, article, VALID)
    assert response.status_code == 302
    assert response["Location"].endswith(
        f"/reader/pages/{article.pk}/respond/?sent=comment"
    )
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "will appear once an editor approves it" in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 81}, "name"),
        ({"email": "not-an-email"}, "email"),
        ({"email": ""}, "email"),
        ({"body": ""}, "body"),
        ({"body": "   "}, "body"),
        ({"body": "x" * 3001}, "body"),
        ({"body": "hello\x00world"}, "body"),
        ({"body": "bell\x07"}, "body"),
        ({"name": "esc\x1b[31m"}, "name"),
        ({"body": "see http://a.example https://b.example www.c.example"}, "body"),
        ({"submission_key": "not-a-uuid"}, "submission_key"),
    ],
)
def test_invalid_comment_is_a_400_with_the_field_error(client, article, change, field):
    response = post(client, article, {**VALID, **change}, **JSON)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert not Comment.objects.exists()


def test_without_javascript_an_invalid_comment_keeps_what_was_typed(client, article):
    response = post(client, article, {**VALID, "email": "nope"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a valid email address." in html
    assert "A thoughtful reply." in html  # nothing the reader wrote is lost


def test_two_links_are_allowed(client, article):
    body = "See https://a.example and https://b.example"
    assert post(client, article, {**VALID, "body": body}, **JSON).status_code == 201


def test_tab_and_newlines_are_allowed(client, article):
    body = "First line\r\nSecond line\n\tindented"
    assert post(client, article, {**VALID, "body": body}, **JSON).status_code == 201
    assert Comment.objects.get().body == body.replace("\r\n", "\n")


def test_oversized_request_is_a_400_and_nothing_is_stored(client, article):
    response = post(client, article, {**VALID, "body": "x" * 20_000}, **JSON)
    assert response.status_code == 400
    assert "too long" in response.json()["error"]
    assert not Comment.objects.exists()


def test_filled_honeypot_gets_a_fake_success_and_nothing_is_stored(client, article):
    response = post(client, article, {**VALID, "website": "http://spam"}, **JSON)
    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert not Comment.objects.exists()


def test_missing_csrf_token_is_refused(article):
    client = Client(enforce_csrf_checks=True)
    assert post(client, article, VALID).status_code == 403
    assert not Comment.objects.exists()


def test_csrf_token_from_the_csrf_endpoint_is_accepted(article):
    client = Client(enforce_csrf_checks=True)
    token = client.get("/csrf/").json()["token"]
    response = post(client, article, VALID, HTTP_X_CSRFTOKEN=token, **JSON)
    assert response.status_code == 201


def test_same_submission_key_is_stored_once(client, article):
    key = str(uuid.uuid4())
    for _ in range(3):
        assert (
            post(client, article, {**VALID, "submission_key": key}, **JSON).status_code
            == 201
        )
    assert Comment.objects.count() == 1


def test_storing_a_comment_runs_nothing_that_could_swallow_a_database_error(
    client, article
):
    """Wagtail's reference-index task runs inside the write and swallows errors: a
    connection lost there once rolled a keyed comment back while the reader was
    told it was stored (seen under bench/loadtest.py's PostgreSQL restart)."""
    with CaptureQueriesContext(connection) as queries:
        key = str(uuid.uuid4())
        response = post(client, article, {**VALID, "submission_key": key}, **JSON)
    assert response.status_code == 201
    assert Comment.objects.filter(submission_key=key).exists()
    assert not [q for q in queries if "referenceindex" in q["sql"].lower()]


def test_flood_from_one_client_gets_429(client, article, settings):
    settings.COMMENT_RATE_LIMIT = "3/600"
    statuses = [
        post(client, article, {**VALID, "body": f"n{n}"}, **JSON).status_code
        for n in range(5)
    ]
    assert statuses == [201, 201, 201, 429, 429]
    assert Comment.objects.count() == 3
    refused = post(client, article, VALID)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"


def test_other_clients_are_not_limited_by_a_flooder(client, article, settings):
    settings.COMMENT_RATE_LIMIT = "1/600"
    post(client, article, VALID, **JSON)
    assert post(client, article, VALID, **JSON).status_code == 429
    other = post(client, article, VALID, REMOTE_ADDR="10.0.0.9", **JSON)
    assert other.status_code == 201


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_comment_endpoint_only_takes_post(client, article, method):
    assert getattr(client, method)(comment_url(article)).status_code == 405


def test_comment_on_unknown_or_unpublished_article_is_404(client, article):
    assert client.post("/reader/pages/999999/comments/", VALID).status_code == 404
    article.unpublish()
    assert post(client, article, VALID).status_code == 404
    assert not Comment.objects.exists()


def approve(article, **fields) -> Comment:
    return Comment.objects.create(
        page=article, status=CommentStatus.APPROVED, **{**VALID, **fields}
    )


def test_approved_comments_show_oldest_first_with_a_count(client, article):
    first = approve(article, body="First!")
    approve(article, body="Second.")
    Comment.objects.create(page=article, **{**VALID, "body": "Still pending"})
    Comment.objects.create(
        page=article, status=CommentStatus.SPAM, **{**VALID, "body": "Buy now"}
    )
    html = client.get(article.url).content.decode()
    assert "2 comments" in html
    assert html.index("First!") < html.index("Second.")
    assert "Still pending" not in html and "Buy now" not in html
    assert f'id="comment-{first.pk}"' in html
    assert "ada@example.com" not in html  # the email is never shown


def test_comment_output_is_escaped(client, article):
    approve(article, name="<b>Bold</b>", body="<script>alert(1)</script>")
    html = client.get(article.url).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;Bold&lt;/b&gt;" in html


def test_listing_shows_comment_counts(client, article):
    approve(article)
    approve(article)
    Comment.objects.create(page=article, **VALID)  # pending: not counted
    html = client.get("/articles/").content.decode()
    assert "2 comments" in html


def test_forms_on_the_cached_page_carry_no_csrf_token(client, article):
    html = client.get(article.url).content.decode()
    assert 'data-reader-form="comment"' in html
    assert "csrfmiddlewaretoken" not in html
    assert f"/reader/pages/{article.pk}/respond/" in html  # the no-JS way
    assert client.get(article.url)["X-Wagtail-Cache"] == "hit"


def test_the_comments_section_is_rendered_once_per_change(
    client, article, editor, settings, django_capture_on_commit_callbacks
):
    """A fragment kept until the next content change: moderating a comment purges
    the page, and the next render shows it."""
    settings.WAGTAIL_CACHE = False  # render every time, as for a logged-in reader
    pending = Comment.objects.create(page=article, **{**VALID, "body": "Now shown"})
    first = client.get(article.url).content.decode()
    assert "0 comments" in first and "Now shown" not in first

    with mock.patch(
        "engagement.templatetags.engagement_tags.render_to_string",
        wraps=engagement_tags.render_to_string,
    ) as rendered:
        assert "0 comments" in client.get(article.url).content.decode()
    assert rendered.call_count == 0  # comments and rating came from the cache

    with django_capture_on_commit_callbacks(execute=True):
        comments_moderate(
            comments=Comment.objects.filter(pk=pending.pk),
            status=CommentStatus.APPROVED,
            moderator=editor,
        )
    html = client.get(article.url).content.decode()
    assert "1 comment" in html and "Now shown" in html
