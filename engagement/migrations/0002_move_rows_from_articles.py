"""Copy every comment, rating and daily view count from the articles app's tables,
keeping ids (links to a comment stay valid) and every field; an article's page id
is its Page id. Reversible: going back copies the rows of article pages back.

Rows are copied in batches, so a large archive does not need its tables in
memory. On PostgreSQL the id sequences are then moved past the copied ids.
"""

from django.core.management.color import no_style
from django.db import migrations

BATCH = 2000

# (source model in articles, target model in engagement, fields copied as they are)
TABLES = [
    (
        "Comment",
        "Comment",
        [
            "id",
            "name",
            "email",
            "body",
            "status",
            "created_at",
            "moderated_at",
            "moderated_by_id",
            "submission_key",
        ],
    ),
    ("Rating", "Rating", ["id", "reader", "score", "rated_at"]),
    ("ArticleViews", "DailyPageViews", ["id", "day", "views"]),
]


def _copy(rows, target, fields, page_field_in, page_field_out, page_ids=None):
    # Keep the copied times: auto_now (Rating.rated_at) would stamp "now" on insert.
    # These are this migration's own historical model classes.
    for model_field in target._meta.concrete_fields:
        model_field.auto_now = False
    batch = []
    for row in rows.values(*fields, page_field_in).iterator(chunk_size=BATCH):
        page_id = row.pop(page_field_in)
        if page_ids is not None and page_id not in page_ids:
            continue
        batch.append(target(**row, **{page_field_out: page_id}))
        if len(batch) >= BATCH:
            target.objects.bulk_create(batch)
            batch = []
    target.objects.bulk_create(batch)


def _reset_sequences(schema_editor, models):
    statements = schema_editor.connection.ops.sequence_reset_sql(no_style(), models)
    for statement in statements:
        schema_editor.execute(statement)


def forwards(apps, schema_editor):
    targets = []
    for source_name, target_name, fields in TABLES:
        source = apps.get_model("articles", source_name)
        target = apps.get_model("engagement", target_name)
        _copy(source.objects.order_by("pk"), target, fields, "article_id", "page_id")
        targets.append(target)
    _reset_sequences(schema_editor, targets)


def backwards(apps, schema_editor):
    article_ids = set(
        apps.get_model("articles", "ArticlePage").objects.values_list("pk", flat=True)
    )
    sources = []
    for source_name, target_name, fields in TABLES:
        source = apps.get_model("articles", source_name)
        target = apps.get_model("engagement", target_name)
        _copy(
            target.objects.order_by("pk"),
            source,
            fields,
            "page_id",
            "article_id",
            page_ids=article_ids,
        )
        sources.append(source)
    _reset_sequences(schema_editor, sources)


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0001_initial"),
        ("articles", "0005_promotion_and_redirect_permissions"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
