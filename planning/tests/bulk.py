"""Many articles fast, for the query budgets: bench/bulk_site.py's page and
article rows, written by the test's author, with scheduled revisions and expiry
dates, and without engagement, search index or related lists, which the
calendar and the feed never read."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import Page, Revision

from articles.models import ArticleIndexPage, ArticlePage
from bench.bulk_site import BATCH, page_row, write_articles


def bulk_articles(
    index: ArticleIndexPage,
    count: int,
    author,
    *,
    scheduled_every: int = 50,
    first: int = 0,
    now: datetime.datetime | None = None,
) -> list[int]:
    """`count` live articles by `author` under `index`, after its `first`
    children, published an hour apart back from `now` (default: the present);
    every `scheduled_every`-th also has a scheduled revision (one hour apart
    forward from the day after) and an expiry date. Returns their ids."""
    content_type = ContentType.objects.get_for_model(ArticlePage)
    page_type = ContentType.objects.get_for_model(Page)
    now = now or timezone.now()
    tomorrow = now + datetime.timedelta(days=1)

    def owned_row(n: int) -> Page:
        row = page_row(index, n, content_type, now)
        row.owner_id = author.pk
        if n % scheduled_every == 0:
            row.expire_at = tomorrow + datetime.timedelta(hours=n)
        return row

    def article_row(page: Page, n: int) -> ArticlePage:
        return ArticlePage(
            page_ptr_id=page.pk,
            intro="Bulk.",
            body=[],
            author_id=author.pk,
            published_at=page.first_published_at,
            updated_at=page.first_published_at,
        )

    ids: list[int] = []
    for start in range(first, first + count, BATCH):
        numbers = range(start, min(start + BATCH, first + count))
        pages = write_articles([owned_row(n) for n in numbers], article_row, numbers)
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
