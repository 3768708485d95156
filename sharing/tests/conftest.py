import pytest

from articles.models import ArticlePage
from articles.tests.admin_forms import add_article_url, article_form_data


@pytest.fixture
def draft(client, author, article_index) -> ArticlePage:
    """An Author's article, saved as a draft through the admin (never live)."""
    client.force_login(author)
    response = client.post(add_article_url(article_index), article_form_data())
    assert response.status_code == 302, response.content[:500]
    client.logout()
    return ArticlePage.objects.get(slug="a-fresh-article")


@pytest.fixture
def in_review(article_in_review) -> ArticlePage:
    return article_in_review
