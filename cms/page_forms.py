"""The admin page form every page type builds on: no silent overwrite.

Wagtail's edit form carries the revision it was loaded from (`loaded_revision_id`
and `loaded_revision_created_at`, hidden inputs), but Wagtail 7.4 only compares them
with the page's latest revision for autosave requests. A full save, submit or publish
from a form loaded before a colleague's change replaced that change without a word.

PageForm refuses such a form with a form error linking to the comparison of the
loaded revision and the newer one; the bound form is re-rendered, so the editor's
text is still there. The re-rendered form is loaded on the newer revision: having
seen the comparison, saving again replaces it deliberately.

Revisions the same user made since loading do not count: they are the user's own
autosaves (an autosave can still be in flight when Save is clicked, or can overwrite
the loaded revision in place, which changes its created_at).

Every page type's base_form_class must build on PageForm; cms.checks says so at
start-up when one does not.
"""

from django import forms
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page, Revision

from .prepublish.forms import PrepublishFormMixin


class StaleRevisionMixin:
    """Refuse a bound edit form whose loaded revision is no longer the latest."""

    def clean(self):
        cleaned_data = super().clean()
        self.check_loaded_revision()
        return cleaned_data

    def newer_revision(self) -> Revision | None:
        """The page's latest revision when someone else made it after the one this
        form was loaded from; None when the form is up to date."""
        if self.instance.pk is None:
            return None  # a new page has nothing to overwrite
        latest_id = (
            Page.objects.filter(pk=self.instance.pk)
            .values_list("latest_revision_id", flat=True)
            .first()
        )
        if latest_id is None:
            return None
        latest = Revision.objects.get(pk=latest_id)
        # Wagtail's own autosave sends the revision it keeps overwriting.
        if overwrite_id := self.data.get("overwrite_revision_id"):
            return None if overwrite_id == str(latest.pk) else latest
        loaded_id = self.data.get("loaded_revision_id", "")
        if not loaded_id.isdigit():
            return None  # as Wagtail: nothing to go on, assume up to date
        loaded_at = parse_datetime(self.data.get("loaded_revision_created_at", ""))
        if int(loaded_id) == latest.pk and loaded_at == latest.created_at:
            return None
        # What changed since loading: later revisions, and the loaded one itself if
        # an autosave overwrote it (only its own author can do that).
        revisions = self.instance.revisions
        newer = revisions.filter(pk__gt=int(loaded_id)) | revisions.filter(
            pk=int(loaded_id)
        ).exclude(created_at=loaded_at)
        user = getattr(self, "for_user", None)
        if user is not None and not newer.exclude(user_id=user.pk).exists():
            return None  # only this user's own (auto)saves since loading
        return latest

    def check_loaded_revision(self) -> None:
        latest = self.newer_revision()
        if latest is None:
            return
        loaded_id = self.data.get("loaded_revision_id") or "earliest"
        compare_url = reverse(
            "wagtailadmin_pages:revisions_compare",
            args=[self.instance.pk, loaded_id, latest.pk],
        )
        who = _("Someone")
        if latest.user is not None:
            who = latest.user.get_full_name() or latest.user.get_username()
        raise forms.ValidationError(
            format_html(
                _(
                    "{who} saved a newer version of this page after you opened it. "
                    'Your changes are not saved yet. <a href="{url}">Compare the '
                    "versions</a>, then save again to replace theirs with yours."
                ),
                who=who,
                url=compare_url,
            ),
            code="stale_revision",
        )


class PageForm(PrepublishFormMixin, StaleRevisionMixin, WagtailAdminPageForm):
    """base_form_class for every page type (articles add their rules on top).

    It also enforces the page type's pre-publish checks (cms/prepublish)."""
