"""No silent overwrite: an edit form loaded before a colleague's change is refused.

Through the admin, as two editors would use it: each opens the edit form (which
carries the revision it was loaded from), one saves, then the other's save, submit
or publish comes back with a conflict error that links to the comparison, and with
their text still in the form. The mechanism is cms/page_forms.py.
"""

import html

import pytest
from django.urls import reverse

from articles.factories import ArticlePageFactory
from articles.models import ArticlePage
from articles.tests.admin_forms import article_form_data, edit_url, loaded_revision

pytestmark = pytest.mark.django_db

CONFLICT = "saved a newer version of this page after you opened it"


@pytest.fixture
def colleague(editor, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        username="colleague", password="pw-colleague-1", first_name="Carla"
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def article(article_index, editor):
    article = ArticlePageFactory(
        parent=article_index, title="Bridge closes", slug="bridge-closes"
    )
    article.save_revision(user=editor).publish()
    return article


def client_for(client_class, user):
    client = client_class()
    client.force_login(user)
    return client


@pytest.fixture
def clients(client, editor, colleague):
    from django.test import Client

    return client_for(Client, editor), client_for(Client, colleague)


def open_form(client, page) -> dict:
    response = client.get(edit_url(page))
    assert response.status_code == 200
    return loaded_revision(response)


def post_form(client, page, loaded: dict, action=None, accept=None, **fields):
    data = article_form_data(
        action=action, title="Bridge closes", slug="bridge-closes", **fields
    )
    data.update(loaded)
    extra = {"HTTP_ACCEPT": accept} if accept else {}
    return client.post(edit_url(page), data, **extra)


def latest_intro(page) -> str:
    return ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object().intro


@pytest.mark.parametrize("action", [None, "submit", "publish"])
def test_a_stale_form_is_refused_with_a_link_to_the_comparison(
    clients, article, action
):
    mine, theirs = clients
    my_form = open_form(mine, article)
    their_form = open_form(theirs, article)
    correction = post_form(
        theirs, article, their_form, action="publish", intro="Corrected: it reopens."
    )
    assert correction.status_code == 302
    correction_revision = ArticlePage.objects.get(pk=article.pk).latest_revision_id

    response = post_form(mine, article, my_form, action=action, intro="My new intro.")

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert CONFLICT in page
    compare = reverse(
        "wagtailadmin_pages:revisions_compare",
        args=[article.pk, my_form["loaded_revision_id"], correction_revision],
    )
    assert f'href="{compare}"' in page  # a link, not escaped text
    assert "Carla" in page  # who saved the newer version
    # Nothing lost: my text is in the form I get back...
    assert "My new intro." in response.context["form"]["intro"].value()
    # ...and nothing overwritten: the correction is still the latest and live.
    reloaded = ArticlePage.objects.get(pk=article.pk)
    assert reloaded.latest_revision_id == correction_revision
    assert latest_intro(article) == "Corrected: it reopens."
    assert reloaded.intro == "Corrected: it reopens."


def test_after_seeing_the_conflict_saving_again_replaces_deliberately(clients, article):
    mine, theirs = clients
    my_form = open_form(mine, article)
    post_form(theirs, article, open_form(theirs, article), intro="Theirs.")
    refused = post_form(mine, article, my_form, action="publish", intro="Mine.")
    assert CONFLICT in refused.content.decode()

    # The form came back loaded on the newer revision.
    again = post_form(
        mine, article, loaded_revision(refused), action="publish", intro="Mine."
    )

    assert again.status_code == 302
    assert ArticlePage.objects.get(pk=article.pk).intro == "Mine."


@pytest.mark.parametrize("action", [None, "submit", "publish"])
def test_a_form_loaded_on_the_latest_revision_saves_as_usual(clients, article, action):
    mine, _ = clients
    response = post_form(
        mine, article, open_form(mine, article), action=action, intro="Fresh."
    )

    assert response.status_code == 302
    assert latest_intro(article) == "Fresh."


def test_my_own_autosave_is_not_a_conflict(clients, article):
    mine, _ = clients
    my_form = open_form(mine, article)
    # Wagtail's autosave posts the form in the background and creates a revision...
    autosave = post_form(
        mine, article, my_form, accept="application/json", intro="Autosaved."
    )
    assert autosave.json()["success"] is True
    revision_id = autosave.json()["revision_id"]
    # ...then keeps overwriting that same revision.
    again = post_form(
        mine,
        article,
        my_form,
        accept="application/json",
        intro="Autosaved twice.",
        overwrite_revision_id=str(revision_id),
    )
    assert again.json()["success"] is True

    # Publish clicked before the page took in the autosave's answer: the form still
    # names the revision it was loaded from.
    response = post_form(mine, article, my_form, action="publish", intro="Final.")

    assert response.status_code == 302
    assert ArticlePage.objects.get(pk=article.pk).intro == "Final."


def test_a_colleagues_autosave_is_a_newer_version(clients, article):
    mine, theirs = clients
    my_form = open_form(mine, article)
    autosave = post_form(
        theirs,
        article,
        open_form(theirs, article),
        accept="application/json",
        intro="Their draft in progress.",
    )
    assert autosave.json()["success"] is True

    response = post_form(mine, article, my_form, action="publish", intro="Mine.")

    assert CONFLICT in response.content.decode()
    assert ArticlePage.objects.get(pk=article.pk).intro != "Mine."


def test_a_stale_autosave_is_refused_as_wagtail_does(clients, article):
    mine, theirs = clients
    my_form = open_form(mine, article)
    post_form(theirs, article, open_form(theirs, article), intro="Theirs.")

    autosave = post_form(
        mine, article, my_form, accept="application/json", intro="Mine."
    )

    assert autosave.json()["success"] is False
    assert latest_intro(article) == "Theirs."
