"""The revisions comparison does not show the automatic published_at stamp as a
change someone made."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import ArticlePage
from articles.tests.admin_forms import article_form_data, edit_url, loaded_revision

pytestmark = pytest.mark.django_db


def compare(client, page, a, b) -> str:
    url = reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, a, b])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def publish_from_editor(client, page, **fields):
    form = {
        **article_form_data(action="publish", **fields),
        **loaded_revision(client.get(edit_url(page))),
    }
    assert client.post(edit_url(page), form).status_code == 302
    return ArticlePage.objects.get(pk=page.pk)


def test_first_publish_shows_what_the_editor_changed_not_the_stamp(
    client, editor, article_in_review
):
    submitted = article_in_review.latest_revision
    client.force_login(editor)
    article = publish_from_editor(client, article_in_review, title="Edited title")

    assert article.published_at is not None  # stamped on first publish
    published = article.live_revision
    assert published.content["published_at"] is not None
    for later in (published.pk, "live"):
        html = compare(client, article, submitted.pk, later)
        assert "Edited title" in html  # the editor's change is shown
        assert "Published at" not in html


def test_a_date_the_editor_types_is_shown(client, editor, article_in_review):
    submitted = article_in_review.latest_revision
    client.force_login(editor)
    typed = timezone.now() - datetime.timedelta(days=3)
    article = publish_from_editor(
        client,
        article_in_review,
        published_at=typed.strftime("%Y-%m-%d %H:%M"),
    )
    assert article.published_at != article.first_published_at
    html = compare(client, article, submitted.pk, article.live_revision.pk)
    assert "Published at" in html
