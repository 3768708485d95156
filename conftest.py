"""Fixtures and markers shared by every app's tests."""

import os

import pytest
from django.core.cache import caches

REDIS_SKIP_REASON = (
    "needs Redis: set REDIS_URL (the PostgreSQL + Redis segment of .ci/run does)"
)


def pytest_runtest_setup(item):
    # One definition of "this test needs Redis": @pytest.mark.requires_redis.
    # Behaviour that exists only on Redis (several workers sharing a cache) has
    # nothing to check on the embedded default, so it is skipped there, by name.
    if item.get_closest_marker("requires_redis") and not os.environ.get("REDIS_URL"):
        pytest.skip(REDIS_SKIP_REASON)


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test starts with empty caches (on Redis, the test database is a
    dedicated Redis db number, so clearing it touches nothing else)."""
    from cms.page_cache.store import get_store

    for cache in caches.all():
        cache.clear()
    try:
        get_store().clear()  # also each process's local copies of cached pages
    except Exception:  # noqa: S110 - the Redis-outage segment runs with Redis stopped
        pass
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


def _member_of(django_user_model, username: str, group_name: str):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        username=username,
        email=f"{username}@example.com",
        password=f"pw-{username}-1",
        first_name=username.capitalize(),
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def author(db, django_user_model):
    return _member_of(django_user_model, "author", "Authors")


@pytest.fixture
def other_author(db, django_user_model):
    return _member_of(django_user_model, "otherauthor", "Authors")


@pytest.fixture
def editor(db, django_user_model):
    return _member_of(django_user_model, "editor", "Editors")


@pytest.fixture
def article_in_review(client, author, article_index):
    """An Author's new article, submitted to the Editorial review workflow
    through the admin's create form (not live)."""
    from articles.models import ArticlePage
    from articles.tests.admin_forms import add_article_url, article_form_data

    client.force_login(author)
    response = client.post(
        add_article_url(article_index), article_form_data(action="submit")
    )
    assert response.status_code == 302
    client.logout()
    return ArticlePage.objects.get(slug="a-fresh-article")
