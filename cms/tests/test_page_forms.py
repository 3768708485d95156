"""Every page type's admin form refuses stale edits (cms/page_forms.py, checks.py)."""

from types import SimpleNamespace

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page, get_page_models

from cms import checks
from cms.page_forms import StaleRevisionMixin


def test_every_page_type_builds_its_form_on_the_stale_revision_check():
    for model in get_page_models():
        if model is not Page:
            form_class = model.get_edit_handler().get_form_class()
            assert issubclass(form_class, StaleRevisionMixin), model
    assert checks.page_forms_refuse_stale_revisions() == []


def test_a_page_type_that_forgets_it_fails_the_system_check(monkeypatch):
    forgetful = SimpleNamespace(
        _meta=SimpleNamespace(label="demo.ForgetfulPage"),
        get_edit_handler=lambda: SimpleNamespace(
            get_form_class=lambda: WagtailAdminPageForm
        ),
    )
    monkeypatch.setattr(checks, "get_page_models", lambda: [Page, forgetful])

    errors = checks.page_forms_refuse_stale_revisions()

    assert [error.id for error in errors] == ["cms.E001"]
