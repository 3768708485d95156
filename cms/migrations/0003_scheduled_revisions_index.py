"""An index of the revisions approved to go live at a time (Wagtail's schedule).

The dashboard's "Scheduled next 7 days", the calendar's scheduled lane and
Wagtail's own publish_scheduled each ask for revisions by approved_go_live_at,
which Wagtail does not index: every ask read the whole revision table (all
revisions of all objects, growing with every save). Partial: only the few
scheduled rows are in it. Wagtail's table, so created with SQL (both SQLite and
PostgreSQL take this form).
"""

from django.db import migrations

INDEX = "cms_revision_scheduled_idx"


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_page_cache_purge_log"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_revision "
            "(approved_go_live_at) WHERE approved_go_live_at IS NOT NULL",
            f"DROP INDEX IF EXISTS {INDEX}",
        )
    ]
