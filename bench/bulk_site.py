"""Big article archives in minutes: bulk inserts that keep Wagtail's tree, search
index and every table the site reads valid, for the scale benchmark and the scale
test (bench/scale.py).

Page-by-page creation (the factories, as articles/sample_site.py uses) runs
Wagtail's save(), revisions and signals per article: about 25 minutes for 10,000
on PostgreSQL here. This writes the same rows in batches instead:
- wagtailcore_page rows with treebeard's materialised paths (the index's path plus
  one step per child), depth, url_path, and the index's numchild set once;
- the articles' own rows (multi-table inheritance: Django's bulk_create refuses
  them, so QuerySet._insert, the call Model.save() itself makes, with many rows);
- their tags, and reader engagement like articles/sample_site.py's: two approved
  comments and one waiting, ratings, three days of views;
- the search index, through the configured backend's add_bulk().

The data has the sample site's shape (tags `topic-N` and `all` on every
article, authors and images in rotation), so figures compare with bench/pages.py.
"""

import datetime
import random
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from modelsearch.index import BaseField
from taggit.models import Tag
from wagtail.models import Page
from wagtail.search.backends import get_search_backends

from articles.factories import sample_body
from articles.models import ArticleIndexPage, ArticlePage, ArticlePageTag
from articles.related import rank_lists
from cms.factories import ImageFactory, UserFactory
from engagement.models import Comment, CommentStatus, DailyPageViews, Rating

BATCH = 2000
SEARCH_BATCH = 500


def _batches(count: int, size: int = BATCH) -> Iterator[range]:
    for start in range(0, count, size):
        yield range(start, min(start + size, count))


def article_tags(n: int, tag_count: int) -> list[str]:
    """The sample site's tags for article `n` (articles/sample_site.py)."""
    return sorted({f"topic-{n % tag_count}", f"topic-{(n * 5 + 1) % tag_count}", "all"})


def build_archive(
    index: ArticleIndexPage,
    count: int,
    *,
    authors: int = 10,
    images: int = 25,
    tags: int = 40,
    search_index: bool = True,
    progress: Callable[[str], None] | None = None,
) -> dict:
    """`count` published articles under the empty `index`, newest first in
    creation order (an hour apart); `search_index=False` leaves them out of the
    search index (most of the build's time) for checks that never search.
    Returns the people, tag slugs and article ids (newest first) for the
    caller's URLs."""
    say = progress or (lambda message: None)
    started = time.monotonic()
    people = [UserFactory(username=f"author{n}") for n in range(authors)]
    pictures = [ImageFactory() for _ in range(images)]
    tag_rows = {
        tag.name: tag
        for tag in Tag.objects.bulk_create(
            [Tag(name=name, slug=slugify(name)) for name in _tag_names(tags)]
        )
    }
    if not all(tag.pk for tag in tag_rows.values()):  # a backend without RETURNING
        tag_rows = {tag.name: tag for tag in Tag.objects.filter(name__in=tag_rows)}
    content_type = ContentType.objects.get_for_model(ArticlePage)
    body = ArticlePage._meta.get_field("body").get_prep_value(sample_body())
    now = timezone.now()
    ids: list[int] = []
    with transaction.atomic():
        for batch in _batches(count):
            pages = write_articles(
                [page_row(index, n, content_type, now) for n in batch],
                lambda page, n: _article_row(page, n, people, pictures, body),
                batch,
            )
            ArticlePageTag.objects.bulk_create(
                ArticlePageTag(content_object_id=page.pk, tag_id=tag_rows[name].pk)
                for page, n in zip(pages, batch, strict=True)
                for name in article_tags(n, tags)
            )
            _add_engagement([page.pk for page in pages], batch, now)
            ids += [page.pk for page in pages]
            say(f"  {len(ids)} articles written in {time.monotonic() - started:.0f}s")
        Page.objects.filter(pk=index.pk).update(numchild=count)
    analyze()  # fresh tables without statistics get nested-loop plans
    if search_index:
        index_articles(ids, progress=say)
        analyze()  # the index entries' word statistics steer the search plans
    rank_lists(ArticlePage.objects.child_of(index))
    say(f"  related lists stored in {time.monotonic() - started:.0f}s")
    say(f"  built {count} articles in {time.monotonic() - started:.0f}s")
    return {
        "authors": people,
        "tags": sorted(tag.slug for tag in tag_rows.values()),
        "ids": ids,
    }


def analyze() -> None:
    """Statistics for the planner, and what autovacuum would have done by the
    time a real archive is this size: outside a transaction, VACUUM too, which
    empties the GIN indexes' pending lists (every search read them through)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            in_transaction = not connection.get_autocommit()
            cursor.execute("ANALYZE" if in_transaction else "VACUUM ANALYZE")


# Words for the titles: a real archive's titles share hundreds of common words,
# and PostgreSQL estimates a prefix search (the admin's autocomplete) from the
# title column's common words only when it has a hundred of them; with three
# ("Article number N") it guessed every prefix rare.
HEADLINE_WORDS = (
    "harbour city council budget school river bridge station market mayor police "
    "court hospital storm flood winter summer festival museum library theatre "
    "election vote housing rent tram train airport road cycle park garden forest "
    "farm fishing port ferry island coast beach water energy wind solar power "
    "climate heat rain snow drought fire rescue strike union workers jobs factory "
    "shop bakery restaurant cafe music concert film book poet artist gallery "
    "football match league cup runner marathon swimmer race team coach stadium "
    "children parents teachers students university science study doctors nurses "
    "care elderly village town district street square tower church castle wall "
    "history archive memory war peace refugees migrants language news radio "
    "television internet data privacy court judge trial prison crime fraud tax "
    "price inflation bank loan trade export import ship cargo bus taxi night "
    "morning evening weekend holiday tourist hotel camping mountain valley lake"
).split()


def headline(n: int) -> str:
    """Four words for article n, the same on every build."""
    words = random.Random(n).sample(HEADLINE_WORDS, 4)
    return " ".join(words).capitalize()


def _tag_names(count: int) -> list[str]:
    return ["all", *(f"topic-{n}" for n in range(count))]


def write_articles(
    page_rows: list[Page],
    article_row: Callable[[Page, int], ArticlePage],
    numbers: range,
) -> list[Page]:
    """Insert `page_rows` (with their treebeard paths) and, for each page and its
    number, the article row `article_row` builds: bulk_create refuses
    multi-table inheritance, so the pages go first and the articles' own rows
    through _insert. Returns the pages, with their ids, in the rows' order."""
    pages = Page.objects.bulk_create(page_rows)
    if pages and pages[0].pk is None:  # a backend without RETURNING
        paths = [page.path for page in pages]
        pages = list(Page.objects.filter(path__in=paths).order_by("path"))
    ArticlePage.objects.all()._insert(
        [article_row(page, n) for page, n in zip(pages, numbers, strict=True)],
        fields=ArticlePage._meta.local_concrete_fields,
    )
    return pages


def page_row(index: Page, n: int, content_type, now) -> Page:
    """The page row of live article `n` under `index`, published `n + 1` hours
    before `now`."""
    slug = f"article-{n}"
    published = now - datetime.timedelta(hours=n + 1)
    title = f"{headline(n)}: article number {n}"
    return Page(
        title=title,
        draft_title=title,
        slug=slug,
        content_type=content_type,
        # treebeard's materialised path: the parent's, plus this child's step.
        path=ArticleIndexPage._get_path(index.path, index.depth + 1, n + 1),
        depth=index.depth + 1,
        numchild=0,
        url_path=f"{index.url_path}{slug}/",
        live=True,
        has_unpublished_changes=False,
        first_published_at=published,
        last_published_at=published,
        locale_id=index.locale_id,
        translation_key=uuid.uuid4(),
        owner_id=None,
        seo_title="",
        search_description="",
        show_in_menus=False,
    )


def _article_row(page: Page, n: int, people, pictures, body) -> ArticlePage:
    author = people[n % len(people)]
    return ArticlePage(
        page_ptr_id=page.pk,
        intro=f"The {n}th story, in one sentence that a listing card can show.",
        featured_image_id=pictures[n % len(pictures)].pk,
        body=body,
        author_id=author.pk,
        published_at=page.first_published_at,
        updated_at=page.first_published_at,
        featured=n % 7 == 0,
    )


def _add_engagement(page_ids: list[int], numbers: range, now) -> None:
    """As articles/sample_site.py's add_demo_engagement(seed 3 mod 4): two approved
    comments and one waiting per article, ratings, three days of views."""
    comments, ratings, views = [], [], []
    today = timezone.localdate()
    for page_id, n in zip(page_ids, numbers, strict=True):
        rng = random.Random(n)  # noqa: S311 - sample data, not security
        for position, status in enumerate(
            (CommentStatus.APPROVED, CommentStatus.APPROVED, CommentStatus.PENDING)
        ):
            comments.append(
                Comment(
                    page_id=page_id,
                    name=f"Reader {position}",
                    email=f"reader{position}@example.com",
                    body="A comment on the story, long enough to read like one.",
                    status=status,
                    created_at=now,
                )
            )
        ratings += [
            Rating(page_id=page_id, reader=f"bulk-{n}-{r}", score=rng.randint(2, 5))
            for r in range(rng.randint(0, 4))
        ]
        views += [
            DailyPageViews(
                page_id=page_id,
                day=today - datetime.timedelta(days=day),
                views=rng.randint(0, 40),
            )
            for day in range(3)
        ]
    Comment.objects.bulk_create(comments)
    Rating.objects.bulk_create(ratings)
    DailyPageViews.objects.bulk_create(views)


@contextmanager
def values_read_once() -> Iterator[dict]:
    """modelsearch's PostgreSQL indexer reads each search field's value five times
    per object (title, body, autocomplete and two plain-text passes), the
    StreamField body's text extraction included, which made indexing most of the
    build. While bulk indexing, each is read once per object; the caller clears
    the memo after each batch (ids are only unique among live objects)."""
    original = BaseField.get_value
    memo: dict = {}

    def get_value(field, obj):
        key = (id(field), id(obj))
        if key not in memo:
            memo[key] = original(field, obj)
        return memo[key]

    BaseField.get_value = get_value
    try:
        yield memo
    finally:
        BaseField.get_value = original


def index_articles(ids: list[int], progress: Callable[[str], None]) -> None:
    """Add the articles to every search backend in batches, as `update_index`
    does, with their tags and authors loaded per batch rather than per article."""
    started = time.monotonic()
    with values_read_once() as memo:
        for backend in get_search_backends():
            for batch in _batches(len(ids), SEARCH_BATCH):
                articles = list(
                    ArticlePage.objects.filter(pk__in=ids[batch.start : batch.stop])
                    .select_related("author")
                    .prefetch_related("tags")
                )
                backend.add_bulk(ArticlePage, articles)
                memo.clear()
                if (batch.stop // SEARCH_BATCH) % 40 == 0:
                    progress(
                        f"  {batch.stop} articles indexed in "
                        f"{time.monotonic() - started:.0f}s"
                    )
