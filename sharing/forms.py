from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ShareComment


class ReaderCommentForm(forms.Form):
    """A share link reader's comment, or answer to the review (the button)."""

    prefix = "share"  # its fields beside the page's own forms (reader comments)

    name = forms.CharField(label=_("Your name"), max_length=80)
    text = forms.CharField(
        label=_("Your comment on the draft"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    verdict = forms.ChoiceField(
        choices=[("", _("Comment")), *ShareComment.VERDICTS], required=False
    )

    def clean(self):
        data = super().clean()
        if not data.get("verdict") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Write a comment, or answer the review."))
        if (
            data.get("verdict") == ShareComment.CHANGES
            and not (data.get("text") or "").strip()
        ):
            self.add_error("text", _("Say which changes you ask for."))
        return data
