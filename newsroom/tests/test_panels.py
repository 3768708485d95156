"""The dashboard's panels, per role: what each shows, its links, and queries that
do not grow with the rows."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.factories import ArticlePageFactory
from articles.tests.admin_forms import add_article_url, article_form_data
from engagement.models import Comment, CommentStatus

pytestmark = pytest.mark.django_db

DASHBOARD = "/admin/"


def submit_article(client, user, index, n: int):
    client.force_login(user)
    response = client.post(
        add_article_url(index),
        article_form_data(action="submit", title=f"Submitted {n}", slug=f"sub-{n}"),
    )
    assert response.status_code == 302
    client.logout()


def schedule(article, user, days: float):
    article.go_live_at = timezone.now() + datetime.timedelta(days=days)
    revision = article.save_revision(user=user)
    revision.publish(user=user, skip_permission_checks=True)
    return revision


def pending_comment(page, body, minutes_ago=0):
    return Comment.objects.create(
        page=page,
        name="Reader",
        email="reader@example.com",
        body=body,
        created_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )


def panel(html: str, panel_id: str) -> str:
    """The HTML of one dashboard panel (Wagtail's {% panel %} section)."""
    start = html.index(f'id="{panel_id}-section"')
    end = html.find("</section>", start)
    return html[start:end]


def test_editor_sees_submissions_waiting_oldest_first_with_submitter(
    client, author, other_author, editor, article_index
):
    submit_article(client, author, article_index, 1)
    submit_article(client, other_author, article_index, 2)
    client.force_login(editor)
    html = client.get(DASHBOARD).content.decode()

    waiting = panel(html, "newsroom_waiting_for_review")
    assert "Waiting for my review" in waiting
    assert waiting.index("Submitted 1") < waiting.index("Submitted 2")  # oldest first
    assert "Author" in waiting and "Otherauthor" in waiting  # who submitted
    # Wagtail's own "Awaiting your review" panel is replaced, not shown twice.
    assert "Awaiting your review" not in html
    assert "Your pages in a workflow" not in html


def test_author_sees_only_her_own_submissions(
    client, author, other_author, article_index
):
    submit_article(client, author, article_index, 1)
    submit_article(client, other_author, article_index, 2)
    client.force_login(author)
    html = client.get(DASHBOARD).content.decode()

    mine = panel(html, "newsroom_waiting_for_review")
    assert "My submissions in review" in mine
    assert "Submitted 1" in mine and "Submitted 2" not in mine
    assert "Waiting for my review" not in html


def test_comments_panel_counts_links_to_pending_and_shows_newest(
    client, editor, author, article_index
):
    article = ArticlePageFactory(parent=article_index, author=author)
    for n in range(7):
        pending_comment(article, f"Pending remark {n}", minutes_ago=10 - n)
    pending_comment(article, "Already fine").status = CommentStatus.APPROVED
    Comment.objects.filter(body="Already fine").update(status=CommentStatus.APPROVED)
    client.force_login(editor)
    comments = panel(client.get(DASHBOARD).content.decode(), "newsroom-comments")

    assert "7 comments await moderation" in comments
    listing = reverse("wagtailsnippets_engagement_comment:list")
    assert f'href="{listing}?status=pending"' in comments
    assert "Pending remark 6" in comments  # the newest five
    assert "Pending remark 1" not in comments
    assert "Already fine" not in comments


def test_authors_do_not_get_the_moderation_panel(client, author, article_index):
    article = ArticlePageFactory(parent=article_index, author=author)
    pending_comment(article, "On her own article")
    client.force_login(author)
    html = client.get(DASHBOARD).content.decode()
    assert "Comments awaiting moderation" not in html


def test_scheduled_next_seven_days_soonest_first_and_per_role(
    client, editor, author, other_author, article_index
):
    later = ArticlePageFactory(
        parent=article_index, author=author, title="Later one", live=False
    )
    sooner = ArticlePageFactory(
        parent=article_index, author=other_author, title="Sooner one", live=False
    )
    beyond = ArticlePageFactory(
        parent=article_index, author=author, title="Next month", live=False
    )
    schedule(later, editor, days=5)
    schedule(sooner, editor, days=1)
    schedule(beyond, editor, days=30)

    client.force_login(editor)
    everything = panel(client.get(DASHBOARD).content.decode(), "newsroom_scheduled")
    assert everything.index("Sooner one") < everything.index("Later one")
    assert "Next month" not in everything

    client.force_login(author)
    hers = panel(client.get(DASHBOARD).content.decode(), "newsroom_scheduled")
    assert "Later one" in hers
    assert "Sooner one" not in hers  # someone else's article


def test_recently_published_shows_who_published(
    client, editor, author, other_author, article_index
):
    client.force_login(author)
    client.post(
        add_article_url(article_index),
        article_form_data(action="submit", title="Her story", slug="her-story"),
    )
    theirs = ArticlePageFactory(
        parent=article_index, author=other_author, title="Their story", live=False
    )
    theirs.save_revision(user=editor).publish(user=editor)
    from articles.models import ArticlePage

    hers = ArticlePage.objects.get(slug="her-story")
    hers.get_latest_revision().publish(user=editor, skip_permission_checks=True)

    client.force_login(editor)
    recent = panel(
        client.get(DASHBOARD).content.decode(), "newsroom_recently_published"
    )
    assert recent.index("Her story") < recent.index("Their story")  # newest first
    assert "Editor" in recent  # who published

    client.force_login(author)
    own = panel(client.get(DASHBOARD).content.decode(), "newsroom_recently_published")
    assert "Her story" in own and "Their story" not in own


def dashboard_queries(client, django_assert_max_num_queries, budget):
    with django_assert_max_num_queries(budget) as captured:
        assert client.get(DASHBOARD).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("role", ["editor", "author"])
def test_dashboard_queries_do_not_grow_with_rows(
    request, client, role, author, editor, article_index, django_assert_max_num_queries
):
    user = request.getfixturevalue(role)

    def add_rows(start: int, count: int):
        for n in range(start, start + count):
            submit_article(client, author, article_index, n)
            article = ArticlePageFactory(
                parent=article_index, author=author, live=False, title=f"Sched {n}"
            )
            schedule(article, editor, days=1 + n % 5)
            published = ArticlePageFactory(
                parent=article_index, author=author, live=False, title=f"Pub {n}"
            )
            published.save_revision(user=editor).publish(user=editor)
            pending_comment(published, f"Comment {n}")

    add_rows(0, 2)
    client.force_login(user)
    client.get(DASHBOARD)  # the first request also caches the site's root
    # Session, user and groups; the role check; per panel a count, one page of
    # rows and their pages (the review queue: its tasks first); the comments
    # panel's count and newest; Wagtail's recent edits, locked pages, site
    # summary and menu.
    few = dashboard_queries(client, django_assert_max_num_queries, 40)
    add_rows(2, 10)
    client.force_login(user)
    many = dashboard_queries(client, django_assert_max_num_queries, 40)
    assert many == few
    if role == "editor":
        html = client.get(DASHBOARD).content.decode()
        waiting = panel(html, "newsroom_waiting_for_review")
        assert len(re.findall(r">Submitted \d+<", waiting)) == 8  # one page of rows
        assert "And 4 more." in waiting
