"""A few words about a tag, shown at the top of its archive and used as the
archive's meta description. Editors write them under Snippets → Tag descriptions;
a tag without one gets a generated sentence."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag
from wagtail.admin.panels import FieldPanel


class TagDescription(models.Model):
    tag = models.OneToOneField(
        Tag, on_delete=models.CASCADE, related_name="description", verbose_name=_("tag")
    )
    description = models.CharField(
        _("description"),
        max_length=300,
        help_text=_("One or two sentences for readers and search engines."),
    )

    panels = [FieldPanel("tag"), FieldPanel("description")]

    class Meta:
        verbose_name = _("tag description")
        verbose_name_plural = _("tag descriptions")
        ordering = ["tag__name"]

    def __str__(self) -> str:
        return self.tag.name
