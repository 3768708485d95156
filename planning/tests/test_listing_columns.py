"""The article explorer's Planning column (planning/listing_columns.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.factories import ArticlePageFactory
from planning.models import PlanItem

pytestmark = pytest.mark.django_db


def explorer(client, index):
    return client.get(f"/admin/pages/{index.pk}/")


def planned(page, status) -> PlanItem:
    return PlanItem.objects.create(title=page.title, page=page, status=status)


def test_each_article_shows_its_planning_status(client, editor, article_index):
    writing = ArticlePageFactory(parent=article_index, title="Being written")
    ready = ArticlePageFactory(parent=article_index, title="All set")
    ArticlePageFactory(parent=article_index, title="Never planned")
    planned(writing, PlanItem.Status.WRITING)
    planned(ready, PlanItem.Status.READY)
    client.force_login(editor)
    response = explorer(client, article_index)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Planning" in html
    rows = html.split("<tbody>")[1].split("<tr")[1:]
    (row_writing,) = [row for row in rows if "Being written" in row]
    (row_ready,) = [row for row in rows if "All set" in row]
    (row_unplanned,) = [row for row in rows if "Never planned" in row]
    assert "Writing" in row_writing
    assert "Ready" in row_ready
    assert "Writing" not in row_unplanned and "Ready" not in row_unplanned


def test_the_column_costs_one_query_however_many_rows(client, editor, article_index):
    client.force_login(editor)

    def queries() -> int:
        explorer(client, article_index)  # warm-up
        with CaptureQueriesContext(connection) as captured:
            assert explorer(client, article_index).status_code == 200
        return len(captured)

    for _ in range(2):
        planned(ArticlePageFactory(parent=article_index), PlanItem.Status.EDITING)
    few = queries()
    for _ in range(8):
        planned(ArticlePageFactory(parent=article_index), PlanItem.Status.EDITING)
    assert queries() == few
