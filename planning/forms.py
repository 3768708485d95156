"""Forms of the planning admin: the calendar's filters, a drop on a day, and the
assignment edit form (which narrows itself to what the user may change)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from cms.roles import AUTHORS, EDITORS

from .models import PlanItem
from .roles import is_editor
from .services import statuses_for


def planners():
    return (
        get_user_model()
        .objects.filter(groups__name__in=[AUTHORS, EDITORS], is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class CalendarFilterForm(forms.Form):
    view = forms.ChoiceField(
        choices=[("month", _("Month")), ("week", _("Week"))], required=False
    )
    date = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    author = PersonChoiceField(
        queryset=planners(), required=False, empty_label=_("Anyone"), label=_("Author")
    )
    tag = forms.SlugField(required=False, max_length=100)
    status = forms.ChoiceField(
        choices=[("", _("Any status")), *PlanItem.Status.choices],
        required=False,
        label=_("Planning status"),
    )


class MoveForm(forms.Form):
    kind = forms.ChoiceField(choices=[("plan", "plan"), ("page", "page")])
    pk = forms.IntegerField(min_value=1)
    date = forms.DateField()
    time = forms.TimeField(required=False)


class PlanItemForm(WagtailAdminModelForm):
    """Editors change every field; an assignee only the status, and only forward."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if "assignees" in self.fields:
            field = self.fields["assignees"]
            self.fields["assignees"] = PeopleChoiceField(
                queryset=planners(),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                label=field.label,
                help_text=field.help_text,
            )
            if self.instance.pk:
                self.initial["assignees"] = list(self.instance.assignees.all())
        if for_user is None or is_editor(for_user):
            return
        allowed = statuses_for(for_user, self.instance)
        for name, form_field in self.fields.items():
            if name != "status":
                form_field.disabled = True
        self.fields["status"].choices = [
            choice for choice in PlanItem.Status.choices if choice[0] in allowed
        ]

    def save(self, commit=True):
        item = super().save(commit=commit)
        # An idea with someone on it is assigned (services.assign's rule, kept
        # for the form's save where the M2M is written by the form itself).
        if (
            commit
            and item.status == PlanItem.Status.IDEA
            and self.cleaned_data.get("assignees")
            and not self.fields["assignees"].disabled
        ):
            item.status = PlanItem.Status.ASSIGNED
            item.save(update_fields=["status", "updated_at"])
        return item
