"""Admin validation for articles (ArticlePage.base_form_class, copy_form_class)."""

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.pages import CopyForm

from cms.page_forms import PageForm
from cms.prepublish.forms import PrepublishCopyFormMixin

from .roles import byline_candidates, byline_label, chooses_any_byline

DUPLICATE_TITLE = _("An article with this title already exists. Choose another title.")
DUPLICATE_SLUG = _("The slug '%(slug)s' is already used by another article.")


def unique_among(articles, *, title: str = "", slug: str = ""):
    """`articles` that already hold `title` (case-insensitively) or `slug`.

    Aliases do not count: an alias mirrors its original (which does) and is not
    another article."""
    articles = articles.filter(alias_of__isnull=True)
    if title:
        return articles.filter(title__iexact=title)
    return articles.filter(slug=slug)


class ArticlePageForm(PageForm):
    """Titles and slugs unique across all articles, not only among siblings.

    Readers and search engines see article titles side by side, and the slug is the
    permanent address, so both are unique site-wide. An empty slug is generated from
    the title on the server (the admin's JavaScript usually fills it in first).

    The byline offers whom the user may credit (articles/roles.py): an Author only
    herself, an Editor the people in the Authors and Editors groups, by full name.
    Naming anyone else is a form error, whichever button was pressed.

    What does not make an article unsaveable: its own aliases and itself as an
    alias (aliases do not count), its own autosaved page (the edit form is that
    page; a create form racing the first autosave is routed to it,
    cms/page_creation.py), and a later page holding the same title or slug that it
    keeps unchanged: the first article to take a title keeps it, the later one
    (e.g. a copy made outside the copy form) must change it to be saved.
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

    def other_articles(self, field: str, value: str):
        others = self._meta.model.objects.all()
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
            stored = getattr(self.instance, field)
            unchanged = (
                stored.lower() == value.lower() if field == "title" else stored == value
            )
            if unchanged:
                others = others.filter(pk__lt=self.instance.pk)
        return unique_among(others, **{field: value})

    def clean_author(self):
        # The byline defaults to whoever writes the article.
        return self.cleaned_data.get("author") or getattr(self, "for_user", None)

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if self.other_articles("title", title).exists():
            raise forms.ValidationError(DUPLICATE_TITLE)
        return title

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or slugify(
            self.data.get("title", ""), allow_unicode=True
        )
        if not slug:
            raise forms.ValidationError(
                _("Enter a slug, or a title that a slug can be made from.")
            )
        if self.other_articles("slug", slug).exists():
            raise forms.ValidationError(DUPLICATE_SLUG, params={"slug": slug})
        return slug


class ArticleCopyForm(PrepublishCopyFormMixin, CopyForm):
    """Wagtail's copy form, keeping article titles and slugs unique.

    A copy is a new article: it must get its own title and slug before it is
    created (the form offers the original's, so the editor changes them there).
    Refusing it here, rather than letting a same-title draft exist, keeps the rule
    true everywhere: the original stays saveable and no two articles can ever go
    live under one headline. An alias is not a copy: it mirrors its original and
    is allowed. "Publish copies" needs the original to pass its pre-publish checks
    (PrepublishCopyFormMixin).
    """

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("alias"):
            return cleaned_data
        articles = self.page.specific_class.objects.all()
        title = (cleaned_data.get("new_title") or "").strip()
        if title and unique_among(articles, title=title).exists():
            self.add_error("new_title", DUPLICATE_TITLE)
        slug = cleaned_data.get("new_slug")
        if slug and unique_among(articles, slug=slug).exists():
            self.add_error("new_slug", DUPLICATE_SLUG % {"slug": slug})
        return cleaned_data
