"""Two editors create articles with the same slug at the same moment.

Through a real server (gunicorn, 3 workers): exactly one article is created, the
others get the admin form back with an error, and nobody gets a 500. Without the
guard in cms/wagtail_hooks.py both pass Wagtail's sibling slug check, and
treebeard can hand both the same tree path (a unique column): a 500.
"""

import http.cookiejar
import json
import re
from concurrent.futures import ThreadPoolExecutor
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

from articles.tests.admin_forms import article_form_data
from cms.tests.live_site import run_python, running_site

EDITORS = 8

SEED = """
import django; django.setup()
EDITORS = {editors}
from django.contrib.auth.models import Group
from articles.factories import ArticleIndexPageFactory
from cms.factories import UserFactory
from home.models import HomePage
index = ArticleIndexPageFactory(parent=HomePage.objects.get())
for n in range(EDITORS):
    user = UserFactory(username=f"editor{n}")
    user.set_password("pw-editor-12345")
    user.save()
    user.groups.add(Group.objects.get(name="Editors"))
print(index.pk)
""".replace("{editors}", str(EDITORS))
CREATED = """
import json, django; django.setup()
from articles.models import ArticlePage
print(json.dumps(list(ArticlePage.objects.values_list("slug", "path"))))
"""


def logged_in_opener(base: str, username: str):
    jar = http.cookiejar.CookieJar()
    opener = build_opener(HTTPCookieProcessor(jar))
    opener.open(f"{base}/admin/login/", timeout=10).read()
    token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    form = urlencode(
        {
            "username": username,
            "password": "pw-editor-12345",
            "csrfmiddlewaretoken": token,
        }
    ).encode()
    login = Request(f"{base}/admin/login/", data=form)  # noqa: S310 - loopback
    opener.open(login, timeout=10).read()
    assert any(cookie.name == "sessionid" for cookie in jar), "login failed"
    # Logging in rotates the CSRF token.
    return opener, next(cookie.value for cookie in jar if cookie.name == "csrftoken")


def create(opener, token: str, url: str) -> tuple[int, str, str]:
    fields = article_form_data(title="Same story", slug="same-story")
    fields["csrfmiddlewaretoken"] = token
    request = Request(url, data=urlencode(fields).encode())  # noqa: S310 - loopback
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.geturl(), response.read().decode()
    except HTTPError as error:
        return error.code, "", ""


def test_concurrent_creation_with_one_slug_makes_one_article(tmp_path):
    with running_site(tmp_path, "presswagon_creation", SEED) as (base, seeded, env):
        index_id = int(seeded)
        openers = [logged_in_opener(base, f"editor{n}") for n in range(EDITORS)]
        url = f"{base}/admin/pages/add/articles/articlepage/{index_id}/"
        with ThreadPoolExecutor(max_workers=EDITORS) as pool:
            results = list(pool.map(lambda o: create(o[0], o[1], url), openers))

    statuses = [status for status, _, _ in results]
    assert 500 not in statuses, [(status, final) for status, final, _ in results]
    created = json.loads(run_python(env, CREATED))
    assert [slug for slug, _ in created] == ["same-story"]
    assert statuses == [200] * EDITORS  # redirects followed; errors are form pages
    # The one that succeeded was sent on to the editor; the rest saw the form again,
    # saying why.
    landed = [final for _, final, _ in results if re.search(r"/edit/$", final)]
    assert len(landed) == 1
    refused = [html for _, final, html in results if "/add/" in final]
    assert len(refused) == EDITORS - 1
    assert all("An article with this title already exists" in html for html in refused)
