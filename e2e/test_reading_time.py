"""One reading time: Wagtail's Checks panel (computed in the browser from the
preview) and the article page say the same number of minutes."""

import re

import pytest
from django.contrib.auth.models import Group
from wagtail.rich_text import RichText

from articles.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_checks_panel_and_page_agree(
    live_server, new_page, shots, article_index, django_user_model
):
    editor = django_user_model.objects.create_user(
        username="eddie", password="pw-eddie-12345", first_name="Eddie"
    )
    editor.groups.add(Group.objects.get(name="Editors"))
    # 500 words: the old figure (230 a minute, rounded up, body only) said 3
    # minutes where the panel said 2.
    article = ArticlePageFactory(
        parent=article_index,
        title="Known length",
        body=[("paragraph", RichText("<p>" + "word " * 500 + "</p>"))],
    )
    article.save_revision(user=editor)
    base = live_server.url

    page = new_page()
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", "eddie")
    page.fill("input[name=password]", "pw-eddie-12345")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")

    page.goto(f"{base}/admin/pages/{article.pk}/edit/")
    page.get_by_role("button", name="Toggle checks").click()
    figure = page.locator("[data-content-reading-time]")
    page.wait_for_function(
        "el => /\\d/.test(el.textContent)", arg=figure.element_handle()
    )
    shots(page, "checks-panel")
    panel_minutes = int(re.match(r"\d+", figure.inner_text().strip()).group())

    page.goto(f"{base}{article.url}")
    shown = re.search(r"(\d+) min read", page.locator(".byline").inner_text())
    assert int(shown.group(1)) == panel_minutes == 2
