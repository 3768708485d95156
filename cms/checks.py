"""System checks for rules every page type must follow."""

from django.core import checks
from wagtail.models import Page, get_page_models

from .page_forms import StaleRevisionMixin


@checks.register(checks.Tags.models)
def page_forms_refuse_stale_revisions(app_configs=None, **kwargs):
    """Every page type's admin form refuses a form loaded on an older revision
    (cms/page_forms.py): a page type whose base_form_class forgets it would let
    editors overwrite each other's changes again."""
    errors = []
    for model in get_page_models():
        if model is Page:
            continue
        form_class = model.get_edit_handler().get_form_class()
        if not issubclass(form_class, StaleRevisionMixin):
            errors.append(
                checks.Error(
                    f"{model._meta.label}'s admin form does not refuse stale edits.",
                    hint="Set base_form_class to cms.page_forms.PageForm "
                    "(or a subclass of it).",
                    obj=model,
                    id="cms.E001",
                )
            )
    return errors
