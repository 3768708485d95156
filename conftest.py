"""Fixtures shared by every app's tests."""

import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test starts with empty caches (on Redis, the test database is a
    dedicated Redis db number, so clearing it touches nothing else)."""
    for cache in caches.all():
        cache.clear()
    yield


@pytest.fixture
def home_page(db):
    from home.models import HomePage

    return HomePage.objects.get()


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser(
        username="root", email="root@example.com", password="pw-root-123"
    )


@pytest.fixture
def article_index(home_page):
    from articles.factories import ArticleIndexPageFactory

    return ArticleIndexPageFactory(parent=home_page)
