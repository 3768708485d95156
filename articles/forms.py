"""Admin validation for articles (ArticlePage.base_form_class, copy_form_class)."""

import copy

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.pages import CopyForm

from cms.page_forms import PageForm
from cms.prepublish.forms import PrepublishCopyFormMixin

from .roles import (
    byline_candidates,
    byline_label,
    chooses_any_byline,
    coauthor_candidates,
)

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
        # The co-authors as they were (the revision being edited): they stay
        # choosable, as the byline does.
        self.stored_coauthor_ids = (
            {row.user_id for row in self.instance.coauthors.all()}
            if self.instance.pk
            else set()
        )
        if "coauthors" in self.formsets and self.for_user is not None:
            self.limit_coauthors(self.formsets["coauthors"])

    def limit_coauthors(self, formset) -> None:
        """The co-author menus: Authors and Editors by full name (articles/roles.py).
        Set on the formset's form class before its forms are built, so the empty
        form the admin copies for "Add co-author" has it too."""
        field = copy.deepcopy(formset.form.base_fields["user"])
        field.queryset = coauthor_candidates(self.for_user, self.stored_coauthor_ids)
        field.label_from_instance = byline_label
        field.error_messages["invalid_choice"] = _(
            "Choose someone in the Authors or Editors group as a co-author."
        )
        # A subclass, as the metaclass builds it; then its own copy of the fields.
        form_class = type("CoAuthorForm", (formset.form,), {})
        form_class.base_fields = {**form_class.base_fields, "user": field}
        formset.form = form_class

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
        author = self.cleaned_data.get("author") or getattr(self, "for_user", None)
        user = getattr(self, "for_user", None)
        lead_id = self.instance.author_id if self.instance.pk else None
        if (
            user is not None
            and lead_id not in (None, user.pk)
            and getattr(author, "pk", None) != lead_id
            and not chooses_any_byline(user)
        ):
            # A co-author edits someone else's article: taking its lead is an
            # Editor's call.
            raise forms.ValidationError(
                _("Only an Editor can change the lead author of this article.")
            )
        return author

    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get("coauthors")
        if formset is None:
            return cleaned_data
        # The parent form is cleaned before its formsets: clean the rows here.
        rows = [form for form in formset.forms if form.is_valid()]
        credited = [
            form.cleaned_data["user"].pk
            for form in rows
            if form.cleaned_data.get("user") and not form.cleaned_data.get("DELETE")
        ]
        if len(credited) != len(set(credited)):
            self.add_error(None, _("Name each co-author once."))
        user = getattr(self, "for_user", None)
        if user is None or chooses_any_byline(user):
            return cleaned_data
        # Only an Editor removes someone else's credit; anyone may take their
        # own name off. A row deleted, or its person changed, removes them.
        removed = set()
        for form in formset.initial_forms:
            before = form.initial.get("user")
            after = None
            if form.is_valid() and not form.cleaned_data.get("DELETE"):
                after = getattr(form.cleaned_data.get("user"), "pk", None)
            if before != after:
                removed.add(before)
        if removed - {None, user.pk}:
            self.add_error(
                None,
                _("Only an Editor can remove a co-author other than yourself."),
            )
        return cleaned_data

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
