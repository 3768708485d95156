"""Admin validation for articles (ArticlePage.base_form_class)."""

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from .roles import byline_candidates, byline_label, chooses_any_byline


class ArticlePageForm(WagtailAdminPageForm):
    """Titles and slugs unique across all articles, not only among siblings.

    Readers and search engines see article titles side by side, and the slug is the
    permanent address, so both are unique site-wide. An empty slug is generated from
    the title on the server (the admin's JavaScript usually fills it in first).

    The byline offers whom the user may credit (articles/roles.py): an Author only
    herself, an Editor the people in the Authors and Editors groups, by full name.
    Naming anyone else is a form error, whichever button was pressed.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
        if "author" in self.fields and self.for_user is not None:
            self.limit_byline(self.fields["author"])

    def limit_byline(self, field) -> None:
        field.queryset = byline_candidates(self.for_user, self.instance.author_id)
        field.label_from_instance = byline_label
        field.error_messages["invalid_choice"] = (
            _("Choose someone in the Authors or Editors group as the byline.")
            if chooses_any_byline(self.for_user)
            else _(
                "You can only be the byline of your own articles. Leave it as "
                "yourself; an Editor can credit someone else."
            )
        )

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
