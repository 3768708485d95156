"""The admin's user editor, showing the custom user's bio and avatar."""

from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .forms import PresswagonUserCreationForm, PresswagonUserEditForm


class UserViewSet(WagtailUserViewSet):
    # Our templates extend Wagtail's and add the profile fields to the Account tab.
    template_prefix = "cms/users/"

    def get_form_class(self, for_update=False):
        return PresswagonUserEditForm if for_update else PresswagonUserCreationForm
