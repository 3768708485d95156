"""Admin validation for articles (ArticlePage.base_form_class)."""

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from cms.page_forms import PageForm


class ArticlePageForm(PageForm):
    """Titles and slugs unique across all articles, not only among siblings.

    Readers and search engines see article titles side by side, and the slug is the
    permanent address, so both are unique site-wide. An empty slug is generated from
    the title on the server (the admin's JavaScript usually fills it in first).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False

    def other_articles(self):
        others = self._meta.model.objects.all()
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        return others

    def clean_author(self):
        # The byline defaults to whoever writes the article.
        return self.cleaned_data.get("author") or getattr(self, "for_user", None)

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if self.other_articles().filter(title__iexact=title).exists():
            raise forms.ValidationError(
                _("An article with this title already exists. Choose another title.")
            )
        return title

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or slugify(
            self.data.get("title", ""), allow_unicode=True
        )
        if not slug:
            raise forms.ValidationError(
                _("Enter a slug, or a title that a slug can be made from.")
            )
        if self.other_articles().filter(slug=slug).exists():
            raise forms.ValidationError(
                _("The slug '%(slug)s' is already used by another article."),
                params={"slug": slug},
            )
        return slug
