"""The stored related list of each article (kept current by articles/related.py)."""

from collections.abc import Iterable

from django.db import models


def joined(ids: Iterable[int]) -> str:
    """Ids as ",12,34,": a LIKE on ",12," finds the rows holding 12 on any
    database, where a JSON list would need PostgreSQL's containment."""
    text = ",".join(str(pk) for pk in ids)
    return f",{text}," if text else ""


def split_ids(text: str) -> list[int]:
    return [int(pk) for pk in text.strip(",").split(",") if pk]


class RelatedArticles(models.Model):
    """An article's related list, and what the ranking saw of the article itself
    when it was made (to tell whether a later change can alter any list)."""

    article = models.OneToOneField(
        "articles.ArticlePage",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # The related articles' ids in order (see joined()); "" for none.
    members = models.CharField(max_length=255, blank=True)
    # How many, and the weakest one's rank: a changed article that beats it (or
    # any, while the list is short) enters the list.
    size = models.PositiveSmallIntegerField(default=0)
    weakest_shared = models.PositiveSmallIntegerField(default=0)
    weakest_published_at = models.DateTimeField(null=True)
    weakest_id = models.IntegerField(null=True)
    # The article as ranked: listed (live, public, dated in the past), its parent,
    # tags (joined()) and date.
    ranked_listed = models.BooleanField(default=False)
    ranked_parent_id = models.IntegerField(null=True)
    ranked_tags = models.CharField(max_length=255, blank=True)
    ranked_published_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = "related articles"
        verbose_name_plural = "related articles"
        indexes = [
            models.Index(fields=["ranked_parent_id"], name="related_parent_idx"),
        ]

    def __str__(self) -> str:
        return f"related to article {self.article_id}: {self.members or 'none'}"
