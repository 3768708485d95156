"""An article's tags in the article's own row, for the one query that routes to it.

An article page shows its tags (links, meta tags, related-list purge tags), and
loading them was a query of its own on every render. Routing loads the article
anyway: a correlated subquery there brings the tags as a JSON list, which costs
less than the separate query it replaces.
"""

import json

from django.db.models import Expression, TextField
from django.db.utils import NotSupportedError
from taggit.models import Tag

# Each tag as [through row id, tag id, name, slug]; the through row's id is the
# tag manager's order (SQLite 3.40 has no ORDER BY inside an aggregate, so the
# rows are sorted after loading). PostgreSQL's json_agg is NULL without rows.
AGGREGATES = {
    "postgresql": "json_agg(json_build_array(item.id, tag.id, tag.name, tag.slug))"
    "::text",
    "sqlite": "json_group_array(json_array(item.id, tag.id, tag.name, tag.slug))",
}


class ArticleTagRows(Expression):
    """The tags of the article in the row, as JSON text (see tag_list), from
    `through`, the article type's tagged-item model."""

    output_field = TextField()

    def __init__(self, through):
        super().__init__()
        self.through = through

    def as_sql(self, compiler, connection):
        aggregate = AGGREGATES.get(connection.vendor)
        if aggregate is None:
            raise NotSupportedError(f"tag rows are not written for {connection.vendor}")
        quote = connection.ops.quote_name
        item = self.through._meta
        article = item.get_field("content_object").related_model._meta
        column = item.get_field("content_object").column
        # Names from the models' metadata, quoted: no outside input reaches this SQL.
        return (
            f"(SELECT {aggregate} FROM {quote(item.db_table)} item"  # noqa: S608
            f" INNER JOIN {quote(Tag._meta.db_table)} tag"
            f" ON tag.id = item.{quote(item.get_field('tag').column)}"
            f" WHERE item.{quote(column)} ="
            f" {quote(article.db_table)}.{quote(article.pk.column)})",
            [],
        )


def tag_list(rows: str | None) -> list[Tag]:
    """Tag instances from ArticleTagRows' JSON, in the tag manager's order."""
    items = sorted(json.loads(rows)) if rows else []
    return [Tag(id=tag_id, name=name, slug=slug) for _, tag_id, name, slug in items]
