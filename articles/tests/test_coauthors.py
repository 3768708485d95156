"""Co-authors (articles/coauthors.py): the byline, archives, feeds, JSON-LD, API,
cache purges, permissions, the admin's pickers and the explorer's columns."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset

from articles import cache_tags
from articles.coauthors import ArticleCoAuthor
from articles.factories import ArticlePageFactory
from articles.models import ArticlePage
from articles.tests.admin_forms import add_article_url, article_form_data, edit_url
from articles.tests.test_seo import head_of
from cms.page_cache.listed_state import remember_listed_state
from cms.page_cache.purge import tags_for_change
from cms.roles import AUTHORS, EDITORS

pytestmark = pytest.mark.django_db


def person(django_user_model, username, first, last, group=AUTHORS):
    user = django_user_model.objects.create_user(
        username=username, first_name=first, last_name=last, password=None
    )
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def ada(django_user_model):
    return person(django_user_model, "ada", "Ada", "Lovelace")


@pytest.fixture
def bob(django_user_model):
    return person(django_user_model, "bob", "Bob", "Bell")


@pytest.fixture
def cy(django_user_model):
    return person(django_user_model, "cy", "Cy", "Young", group=EDITORS)


def credit(article, *people) -> ArticlePage:
    """Publish `article` with `people` as its co-authors, in order."""
    article = ArticlePage.objects.get(pk=article.pk)
    article.coauthors = [
        ArticleCoAuthor(user=user, sort_order=n) for n, user in enumerate(people)
    ]
    article.save_revision().publish(skip_permission_checks=True)
    return ArticlePage.objects.get(pk=article.pk)


@pytest.fixture
def shared(article_index, ada, bob, cy) -> ArticlePage:
    """Led by Ada, co-authored by Cy then Bob (order differs from names')."""
    article = ArticlePageFactory(
        parent=article_index,
        title="Night trains return",
        slug="night-trains",
        author=ada,
        published_at=timezone.now() - datetime.timedelta(hours=1),
    )
    return credit(article, cy, bob)


# --- Existing bylines ---------------------------------------------------------


def test_an_article_without_co_authors_keeps_its_byline(client, article_index, ada):
    """Articles from before co-authors have no rows: the lead alone, as before
    (no data migration was needed: the lead stays ArticlePage.author)."""
    article = ArticlePageFactory(parent=article_index, author=ada)
    assert not ArticleCoAuthor.objects.exists()
    assert article.authors == [ada]
    html = client.get(article.url).content.decode()
    assert 'By <a href="/articles/author/ada/">Ada Lovelace</a></p>' in html


# --- What readers see ---------------------------------------------------------


def test_the_byline_lists_every_author_in_order(client, shared):
    html = client.get(shared.url).content.decode()
    assert (
        'By <a href="/articles/author/ada/">Ada Lovelace</a>, '
        '<a href="/articles/author/cy/">Cy Young</a> and '
        '<a href="/articles/author/bob/">Bob Bell</a></p>'
    ) in html


def test_the_author_card_links_the_lead_authors_archive(client, shared, ada):
    ada.bio = "Writes about trains."
    ada.save()
    html = client.get(shared.url).content.decode()
    assert '<p class="author-card__name"><a href="/articles/author/ada/">' in html


def test_reordering_co_authors_reorders_the_byline(client, shared, bob, cy):
    credit(shared, bob, cy)
    html = client.get(shared.url).content.decode()
    assert html.index("Bob Bell") < html.index("Cy Young")


@pytest.mark.parametrize("username", ["ada", "cy", "bob"])
def test_each_authors_archive_lists_the_article(client, shared, username):
    response = client.get(f"/articles/author/{username}/")
    assert response.status_code == 200
    assert "Night trains return" in response.content.decode()


def test_an_archive_does_not_list_what_someone_else_wrote(
    client, article_index, shared, django_user_model
):
    ArticlePageFactory(parent=article_index, title="Soup season", author=None)
    html = client.get("/articles/author/bob/").content.decode()
    assert "Soup season" not in html


@pytest.mark.parametrize("username", ["ada", "cy", "bob"])
def test_each_authors_feed_has_the_article_with_the_whole_byline(
    client, shared, username
):
    response = client.get(f"/feeds/author/{username}/rss/")
    assert response.status_code == 200
    (item,) = ET.fromstring(response.content).iter("item")
    assert item.findtext("title") == "Night trains return"
    author = item.findtext("{http://purl.org/dc/elements/1.1/}creator")
    assert author == "Ada Lovelace, Cy Young and Bob Bell"


def test_json_ld_lists_every_author_as_a_person(client, shared):
    data, _trail = head_of(client, shared.url).json_ld
    assert data["author"] == [
        {"@type": "Person", "name": name, "url": f"http://testserver{path}"}
        for name, path in [
            ("Ada Lovelace", "/articles/author/ada/"),
            ("Cy Young", "/articles/author/cy/"),
            ("Bob Bell", "/articles/author/bob/"),
        ]
    ]


def test_the_api_keeps_author_and_adds_authors(client, shared):
    detail = client.get(f"/api/v2/articles/{shared.pk}/").json()
    assert detail["author"] == {"name": "Ada Lovelace", "username": "ada"}
    assert detail["authors"] == [
        {"name": "Ada Lovelace", "username": "ada"},
        {"name": "Cy Young", "username": "cy"},
        {"name": "Bob Bell", "username": "bob"},
    ]
    (item,) = client.get("/api/v2/articles/").json()["items"]
    assert [a["username"] for a in item["authors"]] == ["ada", "cy", "bob"]


def test_the_article_page_costs_no_query_more_with_co_authors(
    client, article_index, shared, settings
):
    settings.WAGTAIL_CACHE = False
    plain = ArticlePageFactory(
        parent=article_index,
        slug="plain",
        published_at=timezone.now() - datetime.timedelta(days=3),
    )

    def queries(url) -> int:
        client.get(url)  # warm-up
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert queries(shared.url) == queries(plain.url)


# --- Page cache ---------------------------------------------------------------


def test_purge_tags_name_every_authors_archive_old_and_new(shared, ada, bob, cy):
    article = ArticlePage.objects.get(pk=shared.pk)
    article.coauthors = [ArticleCoAuthor(user=bob)]  # Cy leaves the byline
    revision = article.save_revision()
    published = revision.as_object()
    # What publishing does: the pre_save snapshot, then the purge's tags.
    remember_listed_state(ArticlePage, published)
    tags = tags_for_change(published)
    for user in (ada, bob, cy):
        assert cache_tags.author_archive(user.pk) in tags


def test_changing_co_authors_purges_the_archives_it_leaves_and_joins(
    client, shared, bob, cy, django_user_model, django_capture_on_commit_callbacks
):
    dee = person(django_user_model, "dee", "Dee", "Day")
    ArticlePageFactory(
        parent=shared.get_parent(),
        author=dee,
        published_at=timezone.now() - datetime.timedelta(days=2),
    )
    for url in ("/articles/author/cy/", "/articles/author/dee/"):
        client.get(url)
        assert client.get(url)["X-Wagtail-Cache"] == "hit"

    article = ArticlePage.objects.get(pk=shared.pk)
    article.coauthors = [ArticleCoAuthor(user=dee)]
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish(skip_permission_checks=True)

    left = client.get("/articles/author/cy/")
    assert left.status_code == 404  # Cy has no article left
    joined = client.get("/articles/author/dee/")
    assert joined["X-Wagtail-Cache"] == "miss"
    assert "Night trains return" in joined.content.decode()


def test_renaming_a_co_author_purges_the_article(
    client, shared, bob, django_capture_on_commit_callbacks
):
    client.get(shared.url)
    assert client.get(shared.url)["X-Wagtail-Cache"] == "hit"
    bob.first_name = "Robert"
    with django_capture_on_commit_callbacks(execute=True):
        bob.save()
    response = client.get(shared.url)
    assert response["X-Wagtail-Cache"] == "miss"
    assert "Robert Bell" in response.content.decode()


# --- Permissions --------------------------------------------------------------


@pytest.fixture
def draft_by_ada(article_index, ada, bob):
    """Ada's unpublished article, with Bob (an Author) as co-author."""
    article = ArticlePageFactory(
        parent=article_index,
        title="A fresh article",
        slug="a-fresh-article",
        author=ada,
        owner=ada,
        live=False,
    )
    article.coauthors = [ArticleCoAuthor(user=bob)]
    article.save()
    article.save_revision(user=ada)
    return article


def latest(article) -> ArticlePage:
    """The article as its newest revision has it."""
    return ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()


def co_author_rows(*users, article=None, drop=()) -> dict:
    """The co-author formset as the edit form posts it: the rows of `article`'s
    latest revision (those of `drop` marked deleted), then new rows for `users`."""
    rows = list(latest(article).coauthors.all()) if article else []
    dropped = {user.pk for user in drop}
    items = [
        {"id": row.pk, "user": row.user_id, "DELETE": row.user_id in dropped}
        for row in rows
    ]
    items += [{"user": user.pk} for user in users]
    return inline_formset(items, initial=len(rows))


def test_a_co_author_edits_and_submits_but_cannot_publish(
    client, draft_by_ada, ada, bob
):
    client.force_login(bob)
    page = client.get(edit_url(draft_by_ada))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="action-submit"' in html
    assert 'name="action-publish"' not in html

    saved = client.post(
        edit_url(draft_by_ada),
        article_form_data(
            title="Retitled by Bob",
            author=ada.pk,
            coauthors=co_author_rows(article=draft_by_ada),
        ),
    )
    assert saved.status_code == 302
    assert latest(draft_by_ada).title == "Retitled by Bob"

    publish = client.post(
        edit_url(draft_by_ada),
        article_form_data(
            action="publish",
            title="Retitled by Bob",
            author=ada.pk,
            coauthors=co_author_rows(article=draft_by_ada),
        ),
    )
    assert publish.status_code in (200, 302)
    draft_by_ada.refresh_from_db()
    assert not draft_by_ada.live

    submitted = client.post(
        edit_url(draft_by_ada),
        article_form_data(
            action="submit",
            title="Retitled by Bob",
            author=ada.pk,
            coauthors=co_author_rows(article=draft_by_ada),
        ),
    )
    assert submitted.status_code == 302
    draft_by_ada.refresh_from_db()
    assert draft_by_ada.workflow_in_progress
    assert not draft_by_ada.live


def test_an_author_who_is_not_credited_is_denied(client, draft_by_ada, other_author):
    client.force_login(other_author)
    response = client.get(edit_url(draft_by_ada))
    assert response.status_code == 302  # back out, with "permission denied"
    response = client.post(
        edit_url(draft_by_ada), article_form_data(title="Taken over")
    )
    assert response.status_code == 302
    assert latest(draft_by_ada).title == "A fresh article"
    assert not other_author.can_edit_article(draft_by_ada)


def test_a_co_author_cannot_take_the_lead_or_drop_a_colleague(
    client, draft_by_ada, ada, bob, cy
):
    client.force_login(bob)
    took_lead = client.post(
        edit_url(draft_by_ada),
        article_form_data(
            author=bob.pk, coauthors=co_author_rows(article=draft_by_ada)
        ),
    )
    assert took_lead.status_code == 200
    assert "Only an Editor can change the lead author" in str(
        took_lead.context["form"].errors["author"]
    )

    ArticleCoAuthor.objects.create(article=draft_by_ada, user=cy)
    draft_by_ada.save_revision(user=ada)
    dropped = client.post(
        edit_url(draft_by_ada),
        article_form_data(
            author=ada.pk, coauthors=co_author_rows(article=draft_by_ada, drop=[cy])
        ),
    )
    assert dropped.status_code == 200
    assert "Only an Editor can remove a co-author" in str(
        dropped.context["form"].non_field_errors()
    )

    # Taking her own name off is hers to do (and then the article is not hers).
    left = client.post(
        edit_url(draft_by_ada),
        article_form_data(
            author=ada.pk, coauthors=co_author_rows(article=draft_by_ada, drop=[bob])
        ),
    )
    assert left.status_code == 302
    assert [row.user_id for row in latest(draft_by_ada).coauthors.all()] == [cy.pk]


def test_an_author_adds_a_colleague_as_co_author(client, author, bob, article_index):
    client.force_login(author)
    response = client.post(
        add_article_url(article_index),
        article_form_data(action="submit", coauthors=co_author_rows(bob)),
    )
    assert response.status_code == 302
    article = ArticlePage.objects.get(slug="a-fresh-article")
    assert article.authors == [author, bob]
    assert bob.can_edit_article(article)


def test_someone_without_a_role_cannot_be_a_co_author(
    client, editor, article_index, django_user_model
):
    outsider = django_user_model.objects.create_user(
        username="visitor", first_name="Vera", last_name="Visitor"
    )
    client.force_login(editor)
    response = client.post(
        add_article_url(article_index),
        article_form_data(coauthors=co_author_rows(outsider)),
    )
    assert response.status_code == 200
    assert not ArticlePage.objects.filter(slug="a-fresh-article").exists()


@pytest.mark.parametrize("role", ["author", "editor"])
def test_the_co_author_picker_shows_full_names(
    client, request, article_index, ada, cy, role
):
    client.force_login(request.getfixturevalue(role))
    response = client.get(add_article_url(article_index))
    formset = response.context["form"].formsets["coauthors"]
    labels = [label for value, label in formset.empty_form.fields["user"].choices]
    assert "Ada Lovelace" in labels and "Cy Young" in labels
    assert "ada" not in labels
    html = response.content.decode()
    assert ">Ada Lovelace<" in html and ">ada<" not in html


# --- The explorer -------------------------------------------------------------


def explorer(client, index):
    return client.get(f"/admin/pages/{index.pk}/")


def test_the_explorer_shows_authors_and_publication_dates(
    client, editor, shared, article_index
):
    client.force_login(editor)
    response = explorer(client, article_index)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Author(s)" in html and "Published" in html
    assert "Ada Lovelace, Cy Young and Bob Bell" in html
    assert shared.published_at is not None


@pytest.mark.parametrize("role", ["editor", "author"])
def test_the_explorers_queries_do_not_grow_with_rows(
    client, request, article_index, ada, bob, cy, role
):
    client.force_login(request.getfixturevalue(role))

    def add_articles(count):
        for _ in range(count):
            article = ArticlePageFactory(parent=article_index, author=ada)
            credit(article, bob, cy)

    def queries() -> int:
        explorer(client, article_index)  # warm-up
        with CaptureQueriesContext(connection) as captured:
            assert explorer(client, article_index).status_code == 200
        return len(captured)

    add_articles(2)
    few = queries()
    add_articles(6)
    assert queries() == few
    # Wagtail's explorer as before (session, user, permissions, the index and
    # its ancestors, the page of children and their workflow states, the
    # menus), plus three for the Author(s) column: the lead authors, the
    # co-author rows, their users. An Author's permission check adds one.
    # The other apps' admin: the Planning column (1, planning/listing_columns.py),
    # the planning menu items' role check (1), the article index the Pages menu
    # opens on (1, newsroom/explorer_start.py).
    assert few <= {"editor": 34, "author": 35}[role]
    assert Page.objects.child_of(article_index).count() == 8


def test_a_co_author_named_twice_is_a_form_error(client, editor, ada, article_index):
    client.force_login(editor)
    response = client.post(
        add_article_url(article_index),
        article_form_data(coauthors=co_author_rows(ada, ada)),
    )
    assert response.status_code == 200
    assert "Name each co-author once." in str(
        response.context["form"].non_field_errors()
    )


def test_an_editor_removes_a_co_author(client, editor, draft_by_ada, ada, bob):
    client.force_login(editor)
    response = client.post(
        edit_url(draft_by_ada),
        article_form_data(
            author=ada.pk, coauthors=co_author_rows(article=draft_by_ada, drop=[bob])
        ),
    )
    assert response.status_code == 302
    assert latest(draft_by_ada).authors == [ada]


def test_the_sitemap_lists_a_co_authors_archive(client, shared, article_index):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    for username in ("ada", "cy", "bob"):
        assert body.count(f"/articles/author/{username}/</loc>") == 1, username
