"""Publishing side effects for articles, connected in ArticlesConfig.ready()."""

from wagtail.signals import page_published

from .models import ArticlePage
from .publication import stamp_first_publication


def on_article_published(sender, instance: ArticlePage, **kwargs) -> None:
    # Inside the publish transaction on purpose: a rolled-back publish leaves no stamp.
    stamp_first_publication(instance)


def register_signal_handlers() -> None:
    page_published.connect(
        on_article_published, sender=ArticlePage, dispatch_uid="article-published"
    )
