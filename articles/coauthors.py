"""Co-authors: the people credited on an article after its lead author.

The lead author stays `ArticlePage.author` (one column: the byline's first name,
the (author, published_at) index the author archive reads, the API's `author`,
the bulk builders); the co-authors follow it in order, one row each. Keeping the
lead out of this table means nothing has to keep two places in step, and an
article without co-authors (every article before this table existed) reads
exactly as before: no data migration is needed for existing bylines to stay.
"""

import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Expression, TextField
from django.db.utils import NotSupportedError
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable


class ArticleCoAuthor(Orderable):
    article = ParentalKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="coauthors"
    )
    # Deleting an account removes its credit, never the article.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("co-author"),
        on_delete=models.CASCADE,
        related_name="coauthored_articles",
    )

    panels = [FieldPanel("user")]

    class Meta(Orderable.Meta):
        verbose_name = _("co-author")
        verbose_name_plural = _("co-authors")


# Each co-author as [sort_order, user id, username, first name, last name];
# sorted after loading (SQLite has no ORDER BY inside an aggregate).
AGGREGATES = {
    "postgresql": "json_agg(json_build_array(credit.sort_order, person.id,"
    " person.username, person.first_name, person.last_name))::text",
    "sqlite": "json_group_array(json_array(credit.sort_order, person.id,"
    " person.username, person.first_name, person.last_name))",
}


class CoAuthorRows(Expression):
    """The co-authors of the article in the row, as JSON text (coauthor_list):
    routing loads them with the article, as it does its tags (tag_rows.py),
    instead of a query of their own on every render."""

    output_field = TextField()

    def as_sql(self, compiler, connection):
        aggregate = AGGREGATES.get(connection.vendor)
        if aggregate is None:
            raise NotSupportedError(
                f"co-author rows are not written for {connection.vendor}"
            )
        quote = connection.ops.quote_name
        row = ArticleCoAuthor._meta
        article = row.get_field("article").related_model._meta
        person = get_user_model()._meta
        # Names from the models' metadata, quoted: no outside input reaches this SQL.
        return (
            f"(SELECT {aggregate} FROM {quote(row.db_table)} credit"  # noqa: S608
            f" INNER JOIN {quote(person.db_table)} person"
            f" ON person.id = credit.{quote(row.get_field('user').column)}"
            f" WHERE credit.{quote(row.get_field('article').column)} ="
            f" {quote(article.db_table)}.{quote(article.pk.column)})",
            [],
        )


def coauthor_list(rows: str | None) -> list:
    """Users (id, username and names: what a byline shows) from CoAuthorRows'
    JSON, in order."""
    # Rows saved outside a form may have no sort_order: after the others.
    items = sorted(
        json.loads(rows) if rows else [],
        key=lambda item: (item[0] is None, item[0] or 0),
    )
    user_model = get_user_model()
    return [
        user_model(id=pk, username=username, first_name=first, last_name=last)
        for _, pk, username, first, last in items
        if pk is not None  # PostgreSQL's json_agg of no rows is NULL, not []
    ]


def coauthor_users(article) -> list:
    """The co-authors of `article` in order: from routing's annotation, else the
    rows in memory (a preview, a revision) or prefetched, with their users in
    one query at most."""
    if hasattr(article, "coauthor_rows"):
        return coauthor_list(article.coauthor_rows)
    rows = list(article.coauthors.all())
    missing = {row.user_id for row in rows if not row.__class__.user.is_cached(row)}
    loaded = get_user_model().objects.in_bulk(missing) if missing else {}
    users = []
    for row in rows:
        user = row.user if row.user_id not in missing else loaded.get(row.user_id)
        if user is not None:
            users.append(user)
    return users
