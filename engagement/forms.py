"""What readers send: a comment and a rating."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

# Control characters other than tab and newlines have no place in a comment.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
MAX_LINKS = 2


def no_control_characters(value: str) -> None:
    if CONTROL_CHARACTERS.search(value):
        raise forms.ValidationError(
            _("Remove the control characters from this field."), code="control"
        )


class CommentForm(forms.Form):
    """A reader's comment. `website` is a honeypot: people never see it, bots fill
    it, and a filled one gets a fake success with nothing stored."""

    name = forms.CharField(
        label=_("Name"), max_length=80, validators=[no_control_characters]
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("Never shown; used only if an editor needs to reach you."),
    )
    body = forms.CharField(
        label=_("Comment"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[no_control_characters],
    )
    website = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    submission_key = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].replace("\r\n", "\n")
        if len(LINK.findall(body)) > MAX_LINKS:
            raise forms.ValidationError(
                _("At most %(max)d links per comment."),
                code="links",
                params={"max": MAX_LINKS},
            )
        return body

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=[(score, str(score)) for score in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
