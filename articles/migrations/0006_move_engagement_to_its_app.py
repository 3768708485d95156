"""Comments, ratings and view counts now live in the engagement app, keyed on any
page; engagement 0002 has copied every row, so the article-only tables go."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_promotion_and_redirect_permissions"),
        ("engagement", "0002_move_rows_from_articles"),
    ]

    operations = [
        migrations.DeleteModel(name="ArticleViews"),
        migrations.DeleteModel(name="Comment"),
        migrations.DeleteModel(name="Rating"),
    ]
