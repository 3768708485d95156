"""Factories for article pages: small trees per test, with varied authors and tags."""

import datetime

import factory
import wagtail_factories
from django.utils import timezone
from wagtail.rich_text import RichText
from wagtail.search import index

from cms.factories import ImageFactory, UserFactory
from cms.page_cache.purge import purge_tags, tags_for_change

from .models import ArticleIndexPage, ArticlePage
from .related import refresh_after_change


class ArticleIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ArticleIndexPage

    title = "Articles"
    slug = "articles"
    intro = "Everything we have published, newest first."


def sample_body(paragraphs: int = 3) -> list:
    blocks = [("heading", {"text": "What happened", "level": "h2"})]
    blocks += [
        ("paragraph", RichText(f"<p>Paragraph {n} " + "word " * 120 + "</p>"))
        for n in range(paragraphs)
    ]
    blocks.append(("quote", {"quote": "A quotable line.", "attribution": "Someone"}))
    return blocks


class ArticlePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ArticlePage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article number {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    intro = factory.Faker("sentence", nb_words=18)
    author = factory.SubFactory(UserFactory)
    # As in the admin, where an Author's byline is their own: the writer owns the
    # page (Wagtail's edit permission for Authors, and whose comments they see).
    owner = factory.SelfAttribute("author")
    featured_image = factory.SubFactory(ImageFactory)
    body = factory.LazyFunction(sample_body)
    live = True
    published_at = factory.Sequence(
        # Minutes apart, newest first in creation order; a long test session
        # must not push factory articles out of recent() windows.
        lambda n: timezone.now() - datetime.timedelta(minutes=n + 1)
    )

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)
            self.save()
            # modelcluster writes the tags after save()'s post_save, which is when
            # the search index was updated: index again so tags are searchable, as
            # publishing from the admin does.
            index.insert_or_update_object(self)

    @factory.post_generation
    def published(self, create, extracted, **kwargs):
        # What publishing does after commit (after the tags are written): purge
        # what it touches (listings keep their page counts until then) and
        # rank the related lists it enters, and its own.
        # published=False skips it (a test at an old migration, without the tables).
        if create and self.live and extracted is not False:
            purge_tags(tags_for_change(self))
            refresh_after_change(self.pk)
