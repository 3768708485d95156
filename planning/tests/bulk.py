"""Many articles fast, for the query budgets: the rows bench/bulk_site.py writes
(pages with treebeard paths, then the articles' own rows through _insert, which
bulk_create refuses for multi-table inheritance), without engagement, search
index or related lists, which the calendar never reads."""

import datetime
import uuid

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import Page, Revision

from articles.models import ArticleIndexPage, ArticlePage

BATCH = 2000


def bulk_articles(
    index: ArticleIndexPage,
    count: int,
    author,
    *,
    scheduled_every: int = 50,
    first: int = 0,
    now: datetime.datetime | None = None,
) -> list[int]:
    """`count` live articles under `index`, after its `first` children,
    published an hour apart back from `now` (default: the present); every
    `scheduled_every`-th also has a scheduled revision (one hour apart forward
    from the day after) and an expiry date. Returns their ids."""
    content_type = ContentType.objects.get_for_model(ArticlePage)
    page_type = ContentType.objects.get_for_model(Page)
    now = now or timezone.now()
    tomorrow = now + datetime.timedelta(days=1)
    ids: list[int] = []
    for start in range(first, first + count, BATCH):
        numbers = range(start, min(start + BATCH, first + count))
        pages = Page.objects.bulk_create(
            [
                Page(
                    title=f"Bulk article {n}",
                    draft_title=f"Bulk article {n}",
                    slug=f"bulk-{n}",
                    content_type=content_type,
                    path=ArticleIndexPage._get_path(index.path, index.depth + 1, n + 1),
                    depth=index.depth + 1,
                    numchild=0,
                    url_path=f"{index.url_path}bulk-{n}/",
                    live=True,
                    first_published_at=now - datetime.timedelta(hours=n + 1),
                    last_published_at=now - datetime.timedelta(hours=n + 1),
                    expire_at=(
                        tomorrow + datetime.timedelta(hours=n)
                        if n % scheduled_every == 0
                        else None
                    ),
                    locale_id=index.locale_id,
                    translation_key=uuid.uuid4(),
                    owner_id=author.pk,
                )
                for n in numbers
            ]
        )
        if pages and pages[0].pk is None:
            pages = list(
                Page.objects.filter(path__in=[p.path for p in pages]).order_by("path")
            )
        ArticlePage.objects.all()._insert(
            [
                ArticlePage(
                    page_ptr_id=page.pk,
                    intro="Bulk.",
                    body=[],
                    author_id=author.pk,
                    published_at=page.first_published_at,
                    updated_at=page.first_published_at,
                )
                for page in pages
            ],
            fields=ArticlePage._meta.local_concrete_fields,
        )
        Revision.objects.bulk_create(
            Revision(
                content_type=content_type,
                base_content_type=page_type,
                object_id=str(page.pk),
                content={"title": page.title},
                object_str=page.title,
                created_at=now,
                approved_go_live_at=tomorrow + datetime.timedelta(hours=n),
            )
            for page, n in zip(pages, numbers, strict=True)
            if n % scheduled_every == 0
        )
        ids += [page.pk for page in pages]
    Page.objects.filter(pk=index.pk).update(numchild=first + count)
    return ids
