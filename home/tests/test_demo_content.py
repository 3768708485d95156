import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings

from cms.tests.login import is_logged_in, log_in
from home.management.commands.load_demo_content import DEMO_ACCOUNTS


def snapshot() -> dict:
    from wagtail.models import Page

    User = get_user_model()
    return {
        "users": sorted(User.objects.values_list("username", "password", "bio")),
        "pages": sorted(Page.objects.values_list("pk", "title", "live")),
    }


@pytest.mark.django_db
def test_demo_content_creates_staff_who_can_log_in(client):
    call_command("load_demo_content", stdout=open("/dev/null", "w"))

    for spec in DEMO_ACCOUNTS:
        log_in(client, spec["username"], spec["password"])
        assert is_logged_in(client)
        client.logout()
    assert get_user_model().objects.get(username="admin").is_superuser


@pytest.mark.django_db
def test_demo_content_is_idempotent():
    call_command("load_demo_content", stdout=open("/dev/null", "w"))
    first = snapshot()
    call_command("load_demo_content", stdout=open("/dev/null", "w"))
    assert snapshot() == first


@pytest.mark.django_db
@override_settings(IS_PRODUCTION=True)
def test_demo_content_refuses_production_settings_unless_forced():
    with pytest.raises(CommandError, match="production"):
        call_command("load_demo_content")
    assert not get_user_model().objects.filter(username="admin").exists()

    call_command("load_demo_content", "--force", stdout=open("/dev/null", "w"))
    assert get_user_model().objects.filter(username="admin").exists()


@pytest.mark.django_db
def test_demo_content_reads_like_a_newsroom():
    """Distinct standfirsts, several-block bodies using every offline-safe block,
    varied pictures, real publication dates, portraits for every byline."""
    from articles.models import ArticlePage

    call_command("load_demo_content", stdout=open("/dev/null", "w"))
    articles = list(ArticlePage.objects.all())
    assert len(articles) >= 30
    assert len({article.intro for article in articles}) == len(articles)
    assert min(len(article.body) for article in articles) >= 6
    used = {block.block_type for article in articles for block in article.body}
    assert used >= {"paragraph", "heading", "quote", "image", "code"}
    assert min(article.reading_minutes for article in articles) >= 1
    assert max(article.reading_minutes for article in articles) >= 2
    # Dated as published, a few corrected later: not all "updated" today.
    updated_later = [a for a in articles if a.updated_at.date() > a.published_at.date()]
    assert 0 < len(updated_later) <= 5
    hashes = {article.featured_image.get_file_hash() for article in articles}
    assert len(hashes) == len(articles)
    assert all(article.author.avatar for article in articles)
