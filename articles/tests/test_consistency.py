"""What readers see follows what editors decide, on every surface at once.

For each kind of change, every surface that showed (or should show) the article is
read as an anonymous reader, cached first, then read again after the change has
committed: page, home, index, tag and author archives, RSS, sitemap, API list and
detail, search and the most-read list. In-process here (both backends, as CI runs
the suite twice); test_consistency_processes.py does the scheduled cases with real
processes.
"""

import datetime
import io
from unittest import mock

import pytest
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image as PILImage
from taggit.models import Tag
from wagtail.models import PageViewRestriction

from articles import tasks
from articles.factories import ArticlePageFactory
from articles.tests.surfaces import (
    cached_statuses,
    rendition_names,
    surface_urls,
    where,
)
from cms.factories import ImageFactory, UserFactory
from engagement.models import Comment, CommentStatus, DailyPageViews
from engagement.popular import refresh_popular
from engagement.services import comments_moderate

pytestmark = pytest.mark.django_db

TITLE = "The sleeper train returns"
EVERYWHERE = {
    "page",
    "home",
    "index",
    "tag archive",
    "author archive",
    "rss",
    "sitemap",
    "api list",
    "api detail",
    "search",
    "most read",
}
# Where the byline and the picture show: not in the sitemap or the most-read list.
BYLINES = EVERYWHERE - {"sitemap", "most read"}
PICTURES = EVERYWHERE - {"sitemap", "most read"}
LATER = datetime.timedelta(minutes=10)


@pytest.fixture(autouse=True)
def _scheduler_starts_afresh(monkeypatch):
    monkeypatch.setattr(tasks, "_last_pass", None)


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", first_name="Alice", last_name="Smith")


@pytest.fixture
def make_article(article_index, alice):
    def make(**fields):
        image = ImageFactory(
            title="Sleeper",
            file__filename="sleeper.jpg",
            file__width=1400,
            file__height=900,
        )
        article = ArticlePageFactory(
            parent=article_index,
            title=TITLE,
            intro="Night trains are back on the map.",
            author=alice,
            featured_image=image,
            tags=["rail"],
            **fields,
        )
        # A neighbour, so lists are never empty and prev/next exist.
        ArticlePageFactory(parent=article_index, title="Another story", tags=["rail"])
        DailyPageViews.objects.create(page=article, day=timezone.localdate(), views=50)
        refresh_popular()
        return article

    return make


def urls_for(article) -> dict[str, str]:
    return surface_urls(article, "rail", "alice")


def markers(article) -> dict[str, str]:
    return dict.fromkeys(EVERYWHERE, TITLE) | {"sitemap": article.url}


def showing(client, urls, article) -> set[str]:
    marks = markers(article)
    return {name for name in urls if where(client, {name: urls[name]}, marks[name])}


def warm(client, urls) -> None:
    statuses = cached_statuses(client, urls)
    # Everything but search results (never cached: their query string) is a hit.
    assert {name for name, status in statuses.items() if status != "hit"} <= {
        "search"
    }, statuses


def test_the_article_shows_everywhere_to_begin_with(client, make_article):
    article = make_article()
    urls = urls_for(article)
    warm(client, urls)
    assert showing(client, urls, article) == EVERYWHERE


def test_unpublishing_takes_it_off_every_surface(
    client, make_article, django_capture_on_commit_callbacks
):
    article = make_article()
    urls = urls_for(article)
    warm(client, urls)
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    assert showing(client, urls, article) == set()


def test_a_scheduled_expiry_takes_it_off_every_surface(
    client, make_article, django_capture_on_commit_callbacks
):
    article = make_article()
    article.expire_at = timezone.now() + datetime.timedelta(minutes=5)
    article.save_revision().publish(skip_permission_checks=True)
    urls = urls_for(article)
    warm(client, urls)
    with (
        mock.patch("django.utils.timezone.now", return_value=timezone.now() + LATER),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("run_scheduler", "--once")
    assert showing(client, urls, article) == set()


def test_a_scheduled_publish_puts_it_on_every_surface(
    client, make_article, django_capture_on_commit_callbacks
):
    article = make_article(live=False, published_at=None)
    article.go_live_at = timezone.now() + datetime.timedelta(minutes=5)
    article.save_revision().publish(skip_permission_checks=True)
    urls = urls_for(article)
    later = timezone.now() + LATER
    with mock.patch("django.utils.timezone.now", return_value=later):
        cached_statuses(client, urls)
        assert showing(client, urls, article) == set()
    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("run_scheduler", "--once")
        # Its views (counted in the fixture) rank it once it is live.
        assert showing(client, urls, article) == EVERYWHERE


def test_an_embargo_hides_it_until_its_time_then_lifts_by_itself(
    client, make_article, django_capture_on_commit_callbacks
):
    soon = timezone.now() + datetime.timedelta(minutes=5)
    article = make_article(published_at=soon)
    urls = urls_for(article)
    cached_statuses(client, urls)
    assert showing(client, urls, article) == set()
    assert client.get(article.url).status_code == 404

    later = timezone.now() + LATER
    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("run_scheduler", "--once")
        assert showing(client, urls, article) == EVERYWHERE


@pytest.mark.parametrize("change", ["added", "removed"])
def test_a_view_restriction_changes_every_surface(
    client, make_article, change, django_capture_on_commit_callbacks
):
    article = make_article()
    if change == "removed":
        restriction = PageViewRestriction.objects.create(
            page=article, restriction_type=PageViewRestriction.LOGIN
        )
        refresh_popular()
    urls = urls_for(article)
    cached_statuses(client, urls)
    with django_capture_on_commit_callbacks(execute=True):
        if change == "added":
            PageViewRestriction.objects.create(
                page=article, restriction_type=PageViewRestriction.LOGIN
            )
        else:
            restriction.delete()
        refresh_popular()  # what the scheduler does within a minute
    expected = set() if change == "added" else EVERYWHERE
    assert showing(client, urls, article) == expected


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (1400, 900), "orange").save(buffer, format="JPEG")
    return buffer.getvalue()


def test_replacing_the_image_changes_every_picture(
    client, make_article, django_capture_on_commit_callbacks
):
    article = make_article()
    urls = urls_for(article)
    warm(client, urls)
    image = article.featured_image
    with django_capture_on_commit_callbacks(execute=True):
        # As the admin's image form does: new file, old renditions gone.
        image.file = ImageFile(io.BytesIO(jpeg_bytes()), name="replacement.jpg")
        image._set_image_file_metadata()
        image.save()
        image.renditions.all().delete()
    for name in PICTURES:
        text = client.get(urls[name]).content.decode()
        assert rendition_names(text, "replacement"), name
        assert not rendition_names(text, "sleeper"), name


def test_deleting_the_image_removes_every_picture(
    client, make_article, django_capture_on_commit_callbacks
):
    article = make_article()
    urls = urls_for(article)
    warm(client, urls)
    with django_capture_on_commit_callbacks(execute=True):
        article.featured_image.delete()
    for name in PICTURES:
        text = client.get(urls[name]).content.decode()
        assert not rendition_names(text, "sleeper"), name
    assert showing(client, urls, article) == EVERYWHERE  # the article itself stays


def test_renaming_the_author_changes_every_byline(
    client, make_article, alice, django_capture_on_commit_callbacks
):
    article = make_article()
    urls = urls_for(article)
    warm(client, urls)
    with django_capture_on_commit_callbacks(execute=True):
        alice.first_name = "Alicia"
        alice.save()
    assert where(client, urls, "Alicia Smith") == BYLINES
    assert where(client, urls, "Alice Smith") == set()


def test_a_login_purges_nothing(client, make_article, alice):
    article = make_article()
    urls = urls_for(article)
    warm(client, urls)
    alice.last_login = timezone.now()
    alice.save(update_fields=["last_login"])
    assert client.get(article.url)["X-Wagtail-Cache"] == "hit"


def test_deleting_the_author_removes_every_byline_and_the_archive(
    client, make_article, alice, django_capture_on_commit_callbacks
):
    article = make_article()
    urls = urls_for(article)
    warm(client, urls)
    with django_capture_on_commit_callbacks(execute=True):
        alice.delete()
    assert where(client, urls, "Alice Smith") == set()
    assert client.get(urls["author archive"]).status_code == 404
    assert showing(client, urls, article) == EVERYWHERE - {"author archive"}


def test_renaming_a_tag_moves_its_archive(
    client, make_article, django_capture_on_commit_callbacks
):
    article = make_article()
    urls = urls_for(article)
    warm(client, urls)
    with django_capture_on_commit_callbacks(execute=True):
        tag = Tag.objects.get(slug="rail")
        tag.name, tag.slug = "Railways", "railways"
        tag.save()
    assert client.get("/articles/tag/rail/").status_code == 404
    assert TITLE in client.get("/articles/tag/railways/").content.decode()
    assert "Railways" in client.get(article.url).content.decode()
    assert "<category>Railways</category>" in client.get("/feeds/rss/").content.decode()


def test_deleting_a_tag_removes_its_archive_and_its_name(
    client, make_article, django_capture_on_commit_callbacks
):
    article = make_article()
    urls = urls_for(article)
    warm(client, urls)
    with django_capture_on_commit_callbacks(execute=True):
        Tag.objects.get(slug="rail").delete()
    assert client.get("/articles/tag/rail/").status_code == 404
    assert "/articles/tag/rail/" not in client.get(article.url).content.decode()
    assert "<category>rail</category>" not in client.get("/feeds/rss/").content.decode()


def test_an_approved_comment_shows_on_the_page_and_every_count(
    client, make_article, editor, django_capture_on_commit_callbacks
):
    article = make_article()
    urls = urls_for(article)
    warm(client, urls)
    Comment.objects.create(page=article, name="Ada", email="a@x.org", body="Bravo")
    with django_capture_on_commit_callbacks(execute=True):
        comments_moderate(
            comments=Comment.objects.all(),
            status=CommentStatus.APPROVED,
            moderator=editor,
        )
    assert "Bravo" in client.get(article.url).content.decode()
    for name in ("home", "index", "tag archive", "author archive"):
        assert "1 comment" in client.get(urls[name]).content.decode(), name
