from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

EXPIRY_CHOICES = [
    (24, _("1 day")),
    (72, _("3 days")),
    (24 * 7, _("7 days")),
    (24 * 14, _("14 days")),
    (24 * 30, _("30 days")),
]


class ShareLinkForm(forms.Form):
    """The share dialog: how long the link lasts, what it shows, what it allows."""

    expires_in_hours = forms.TypedChoiceField(
        label=_("Expires after"), choices=EXPIRY_CHOICES, coerce=int, initial=72
    )
    mode = forms.ChoiceField(
        label=_("Shows"),
        choices=[
            ("follow", _("The latest version, as it is saved (follow)")),
            ("pin", _("This version only (pin)")),
        ],
        initial="follow",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note for the reader"), max_length=200, required=False
    )
    may_review = forms.BooleanField(
        label=_("May review"),
        required=False,
        help_text=_(
            "While the page is in review, the reader may answer “Looks good” or "
            "“Request changes”. An answer never publishes."
        ),
    )

    @property
    def expires_in(self) -> timedelta:
        return timedelta(hours=self.cleaned_data["expires_in_hours"])
