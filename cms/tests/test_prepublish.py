"""The pre-publish check mechanism (cms/prepublish), apart from any page type:
checks declared on a class, switched off and tuned in settings, their report, and
the history entry of an override."""

from types import SimpleNamespace

import pytest
from wagtail.log_actions import registry as log_registry
from wagtail.models import Page, PageLogEntry

from cms.prepublish.audit import OVERRIDE_ACTION, Override, record_override
from cms.prepublish.checks import (
    checks_for,
    has_checks,
    prepublish_check,
    run_checks,
)


@prepublish_check("has_title", "Title")
def has_title(page, options):
    return [] if page.title else ["Give it a title."]


@prepublish_check("title_length", "Title length", max=10)
def title_length(page, options):
    if len(page.title) > options["max"]:
        yield f"At most {options['max']} characters."


class Declaring:
    prepublish_checks = [has_title, title_length]


def page(title: str):
    return SimpleNamespace(title=title, prepublish_checks=Declaring.prepublish_checks)


def test_a_check_has_an_id_a_label_and_returns_problems():
    assert (has_title.id, has_title.label) == ("has_title", "Title")
    assert has_title.run(page("")) == ["Give it a title."]
    assert has_title.run(page("Fine")) == []


def test_the_report_counts_and_labels_the_problems():
    report = run_checks(page("A title far too long"))

    assert not report.passed
    assert report.passed_count == 1
    assert [result.check.id for result in report.failed] == ["title_length"]
    assert report.problems() == ["Title length: At most 10 characters."]
    assert run_checks(page("Short")).passed


def test_a_type_without_checks_has_none():
    assert checks_for(SimpleNamespace()) == []
    assert not has_checks(object)
    assert has_checks(Declaring)


def test_settings_switch_checks_off_by_id(settings):
    settings.PREPUBLISH_CHECKS = {"DISABLED": ["title_length"]}

    assert checks_for(Declaring) == [has_title]
    assert run_checks(page("A title far too long")).passed


def test_settings_tune_a_checks_options(settings):
    settings.PREPUBLISH_CHECKS = {"OPTIONS": {"title_length": {"max": 30}}}

    assert title_length.options() == {"max": 30}
    assert run_checks(page("A title far too long")).passed


def test_without_the_setting_the_defaults_apply(settings):
    del settings.PREPUBLISH_CHECKS

    assert title_length.options() == {"max": 10}
    assert checks_for(Declaring) == [has_title, title_length]


@pytest.mark.django_db
def test_an_override_is_recorded_once_in_the_pages_history(django_user_model):
    editor = django_user_model.objects.create_user(username="ed", password="pw-x-12")
    root = Page.objects.get(depth=1)
    root.prepublish_override = Override(
        action="publish",
        reason="Urgent correction",
        failed_checks=["has_title"],
        problems=["Title: Give it a title."],
    )

    assert record_override(root, editor)
    assert not record_override(root, editor)  # the views call several hooks

    entry = PageLogEntry.objects.get(page=root, action=OVERRIDE_ACTION)
    assert entry.user == editor
    assert entry.data == {
        "action": "publish",
        "reason": "Urgent correction",
        "failed_checks": ["has_title"],
        "problems": ["Title: Give it a title."],
    }
    formatter = log_registry.get_formatter(entry)
    assert formatter.label == "Pre-publish checks overridden"
    assert "Urgent correction" in formatter.format_message(entry)
    assert "has_title" in formatter.format_message(entry)
    assert formatter.format_comment(entry) == "Title: Give it a title."


def test_a_page_without_an_override_records_nothing():
    assert not record_override(SimpleNamespace(), user=None)
