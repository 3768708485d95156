"""Admin user forms extended with the custom user's profile fields."""

from wagtail.users.forms import UserCreationForm, UserEditForm

PROFILE_FIELDS = {"bio", "avatar"}


class PresswagonUserCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | PROFILE_FIELDS


class PresswagonUserEditForm(UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | PROFILE_FIELDS
