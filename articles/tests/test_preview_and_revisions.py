"""Preview modes and revision history, compare and revert, through the admin."""

import pytest
from django.urls import reverse

from articles.factories import ArticlePageFactory
from articles.models import ArticlePage
from articles.tests.admin_forms import article_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(article_index, editor):
    page = ArticlePageFactory(parent=article_index, title="Version one", slug="v")
    page.save_revision(user=editor).publish(skip_permission_checks=True)
    return ArticlePage.objects.get(pk=page.pk)


def preview(client, article, mode: str, **fields):
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[article.pk])
    posted = client.post(
        url, article_form_data(title="Unsaved title", slug="v", **fields)
    )
    assert posted.json()["is_valid"] is True
    return client.get(url, {"mode": mode})


def test_article_offers_three_preview_modes():
    assert [mode for mode, _ in ArticlePage().preview_modes] == ["", "card", "social"]


@pytest.mark.parametrize(
    "mode, marker",
    [
        ("", 'class="article__body"'),
        ("card", 'class="card'),
        ("social", 'class="social-card"'),
    ],
)
def test_each_preview_mode_renders_the_unsaved_content(
    client, editor, article, mode, marker
):
    client.force_login(editor)

    response = preview(client, article, mode)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Unsaved title" in html
    assert marker in html
    article.refresh_from_db()
    assert article.title == "Version one"  # previewing saves nothing


def test_history_lists_revisions_and_compare_shows_the_change(client, editor, article):
    second = article.save_revision(user=editor)
    article.title = "Version two"
    latest = article.save_revision(user=editor)
    client.force_login(editor)

    history = client.get(reverse("wagtailadmin_pages:history", args=[article.pk]))
    compare = client.get(
        reverse(
            "wagtailadmin_pages:revisions_compare",
            args=[article.pk, second.pk, latest.pk],
        )
    )

    assert history.status_code == 200
    assert compare.status_code == 200
    assert "Version two" in compare.content.decode()


def test_revert_to_an_earlier_revision(client, editor, article):
    first = article.latest_revision
    article.title = "Version two"
    article.save_revision(user=editor).publish(skip_permission_checks=True)
    client.force_login(editor)

    url = reverse("wagtailadmin_pages:revisions_revert", args=[article.pk, first.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert 'value="Version one"' in form.content.decode()

    # Reverting is saving the old content through the edit form.
    client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        article_form_data(action="publish", title="Version one", slug="v"),
    )
    article.refresh_from_db()
    assert article.title == "Version one"
    assert article.revisions.count() == 3


def test_preview_of_an_article_never_saved(client, editor, article_index):
    client.force_login(editor)
    url = reverse(
        "wagtailadmin_pages:preview_on_add",
        args=["articles", "articlepage", article_index.pk],
    )
    posted = client.post(url, article_form_data(title="Brand new", slug="brand-new"))
    assert posted.json()["is_valid"] is True

    response = client.get(url, {"mode": ""})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Brand new" in html
    assert "Leave a comment" not in html  # nothing to comment on before it exists


def test_a_preview_leaves_no_draft_choice_of_related_articles_for_readers(
    client, editor, article_index, settings
):
    """A draft's tags pick its related articles in the preview, and only there:
    public renders keep choosing from the published tags."""
    settings.WAGTAIL_CACHE = False  # compare renders, not cached copies
    subject = ArticlePageFactory(parent=article_index, tags=["rail"], slug="v")
    ArticlePageFactory(parent=article_index, tags=["rail"], title="On the rails")
    ArticlePageFactory(parent=article_index, tags=["road"], title="On the road")

    client.force_login(editor)
    drafted = preview(client, subject, "", tags="road").content.decode()
    assert "On the road" in drafted

    client.logout()
    public = client.get(subject.url).content.decode()
    assert "On the rails" in public
    assert "On the road" not in public
