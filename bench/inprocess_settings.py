"""Test settings plus the minimal stock Wagtail page type (bench/minimal), for the
in-process renders of bench/pages.py only; the product never installs it."""

from cms.settings.test import *  # noqa: F403
from cms.settings.test import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench.minimal"]
# MinimalPage is stock Wagtail on purpose: it never meets an editor, so the
# product's admin-form check does not apply to it.
SILENCED_SYSTEM_CHECKS = ["cms.E001"]
