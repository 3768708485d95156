import pytest
from wagtail.models import Site

from home.models import HomePage


@pytest.mark.django_db
def test_home_page_is_the_default_sites_root():
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)


@pytest.mark.django_db
def test_welcome_page_is_gone():
    from wagtail.models import Page

    titles = list(Page.objects.filter(depth=2).values_list("title", flat=True))
    assert titles == [HomePage.objects.get().title]


@pytest.mark.django_db
def test_home_page_renders_for_an_anonymous_reader(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    assert [t.name for t in response.templates][:2] == [
        "home/home_page.html",
        "base.html",
    ]
    assert home_page.strapline in response.content.decode()


@pytest.mark.django_db
def test_admin_redirects_anonymous_user_to_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_admin_login_page_renders(client):
    assert client.get("/admin/login/").status_code == 200
