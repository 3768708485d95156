"""The move of comments, ratings and view counts from articles/ to engagement/
keeps every row: run for real, in a database of its own on the backend the suite
uses, from the schema before the move, with rows in the old tables."""

import json

from cms.tests.live_site import run_python, server_environment

BEFORE_THE_MOVE = [
    ("articles", "0005_promotion_and_redirect_permissions"),
    ("engagement", "0001_initial"),
]

# Migrate every app to its latest migration except articles and engagement, which
# stop before the move; seed pages with today's models (their tables did not
# change) and engagement rows with the historical ones.
SEED_BEFORE_THE_MOVE = """
import datetime, json, django; django.setup()
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

executor = MigrationExecutor(connection)
stop = {app: name for app, name in %(stop)r}
targets = [
    (app, stop.get(app, name)) for app, name in executor.loader.graph.leaf_nodes()
]
executor.migrate(targets)
old = MigrationExecutor(connection).loader.project_state(
    [(app, name) for app, name in targets]
).apps

from articles.factories import ArticleIndexPageFactory, ArticlePageFactory
from cms.factories import UserFactory
from django.db.models import signals
from home.models import HomePage

# Today's save receivers (cache purges, grants) read today's schema, which these
# old migrations lack (the co-author table, for one): seed the rows without them.
for signal in (signals.pre_save, signals.post_save):
    signal.receivers = []
    signal.sender_receivers_cache.clear()

index = ArticleIndexPageFactory(parent=HomePage.objects.get())
# published=False: the related-list table does not exist at these migrations.
first = ArticlePageFactory(parent=index, title="First", published=False)
second = ArticlePageFactory(parent=index, title="Second", published=False)
editor = UserFactory(username="moderator")
Comment = old.get_model("articles", "Comment")
Rating = old.get_model("articles", "Rating")
ArticleViews = old.get_model("articles", "ArticleViews")
long_ago = timezone.now() - datetime.timedelta(days=400)
for n, status in enumerate(["approved", "pending", "spam", "rejected"] * 25):
    Comment.objects.create(
        article_id=(first, second)[n %% 2].pk, name=f"Reader {n}",
        email=f"r{n}@example.com", body=f"Comment {n}", status=status,
        created_at=long_ago, moderated_by_id=editor.pk if n %% 3 == 0 else None,
        moderated_at=long_ago if n %% 3 == 0 else None,
    )
for n in range(30):
    Rating.objects.create(
        article_id=(first, second)[n %% 2].pk, reader=f"token-{n}", score=n %% 5 + 1
    )
Rating.objects.update(rated_at=long_ago)
for day in range(10):
    ArticleViews.objects.create(
        article_id=first.pk, day=datetime.date(2026, 1, 1) + datetime.timedelta(day),
        views=day * 7,
    )
print(json.dumps({"first": first.pk, "second": second.pk, "editor": editor.pk,
                  "long_ago": long_ago.year}))
"""

MIGRATE_AND_READ = """
import json, django; django.setup()
from django.core.management import call_command
from django.db.models import Sum
call_command("migrate", verbosity=0)
from engagement.models import Comment, DailyPageViews, Rating
newest = Comment.objects.create(page_id=Comment.objects.first().page_id,
    name="After", email="a@example.com", body="Written after the move")
print(json.dumps({
    "comments": sorted(
        [c.pk, c.page_id, c.name, c.body, c.status, c.created_at.year,
         c.moderated_by_id] for c in Comment.objects.exclude(pk=newest.pk)
    ),
    "ratings": sorted(
        [r.page_id, r.reader, r.score, r.rated_at.year] for r in Rating.objects.all()
    ),
    "views": sorted([v.page_id, str(v.day), v.views]
        for v in DailyPageViews.objects.all()),
    "views_total": DailyPageViews.objects.aggregate(t=Sum("views"))["t"],
    "newest_id": newest.pk,
    "editors_moderate": sorted(
        __import__("django.contrib.auth.models", fromlist=["Group"])
        .Group.objects.get(name="Editors")
        .permissions.filter(content_type__app_label__in=["articles", "engagement"])
        .values_list("content_type__app_label", "codename")
    ),
}))
"""

BACK_BEFORE_THE_MOVE = """
import json, django; django.setup()
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.core.management import call_command
call_command("migrate", "engagement", "0001_initial", verbosity=0)
old = MigrationExecutor(connection).loader.project_state(
    [("articles", "0005_promotion_and_redirect_permissions")]
).apps
print(json.dumps({
    "comments": old.get_model("articles", "Comment").objects.count(),
    "ratings": old.get_model("articles", "Rating").objects.count(),
    "views": old.get_model("articles", "ArticleViews").objects.count(),
}))
"""


def test_moving_engagement_keeps_every_row_and_can_go_back(tmp_path):
    env = server_environment(tmp_path, "presswagon_migration")
    env = {key: value for key, value in env.items() if key != "REDIS_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"

    seeded = json.loads(
        run_python(env, SEED_BEFORE_THE_MOVE % {"stop": BEFORE_THE_MOVE})
    )
    moved = json.loads(run_python(env, MIGRATE_AND_READ))

    first, second = seeded["first"], seeded["second"]
    comments = moved["comments"]
    assert len(comments) == 100
    assert [c[0] for c in comments] == list(range(1, 101))  # ids kept
    assert comments[0][:5] == [1, first, "Reader 0", "Comment 0", "approved"]
    assert {c[1] for c in comments} == {first, second}
    assert [c[4] for c in comments].count("spam") == 25
    assert {c[5] for c in comments} == {seeded["long_ago"]}  # posting times kept
    assert sum(1 for c in comments if c[6] == seeded["editor"]) == 34
    assert len(moved["ratings"]) == 30
    # rated_at is auto_now: the copy must not stamp it with the migration's time.
    assert {r[3] for r in moved["ratings"]} == {seeded["long_ago"]}
    assert sorted(r[2] for r in moved["ratings"]) == sorted(
        n % 5 + 1 for n in range(30)
    )
    assert moved["views_total"] == sum(day * 7 for day in range(10))
    assert {v[0] for v in moved["views"]} == {first}
    # New rows get fresh ids after the copied ones (PostgreSQL sequences moved).
    assert moved["newest_id"] == 101
    assert ("engagement", "change_comment") in map(tuple, moved["editors_moderate"])
    # None left on the old models (Editors' articles grants for other models,
    # such as tag descriptions, are not the moved ones).
    assert not any(
        app == "articles" and codename.endswith(("comment", "rating", "articleviews"))
        for app, codename in moved["editors_moderate"]
    )

    back = json.loads(run_python(env, BACK_BEFORE_THE_MOVE))
    assert back == {"comments": 101, "ratings": 30, "views": 10}
