"""The check object, the registry a page type declares, and the settings."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from django.conf import settings


# Compared and hashed by identity: a check is one object a page type lists.
@dataclass(frozen=True, eq=False)
class Check:
    """One rule a page must meet before it is published.

    `test(page, options)` returns the problems found (empty when the page
    passes); `options` are `defaults` updated by
    settings.PREPUBLISH_CHECKS["OPTIONS"][id].
    """

    id: str
    label: str
    test: Callable[[Any, Mapping], Iterable[str]]
    defaults: Mapping = field(default_factory=lambda: MappingProxyType({}))

    def options(self) -> dict:
        configured = configured_checks().get("OPTIONS", {}).get(self.id, {})
        return {**self.defaults, **configured}

    @property
    def enabled(self) -> bool:
        return self.id not in configured_checks().get("DISABLED", ())

    def run(self, page) -> list[str]:
        return [str(problem) for problem in self.test(page, self.options())]


def prepublish_check(id: str, label: str, **defaults) -> Callable:
    """Decorator turning `test(page, options)` into a Check."""

    def wrap(test: Callable) -> Check:
        return Check(id=id, label=label, test=test, defaults=defaults)

    return wrap


@dataclass(frozen=True)
class CheckResult:
    check: Check
    problems: list[str]

    @property
    def passed(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Report:
    results: list[CheckResult]

    @property
    def failed(self) -> list[CheckResult]:
        return [result for result in self.results if not result.passed]

    @property
    def passed(self) -> bool:
        return not self.failed

    @property
    def passed_count(self) -> int:
        return len(self.results) - len(self.failed)

    def problems(self) -> list[str]:
        """Each problem prefixed with its check's label."""
        return [
            f"{result.check.label}: {problem}"
            for result in self.failed
            for problem in result.problems
        ]


def configured_checks() -> Mapping:
    return getattr(settings, "PREPUBLISH_CHECKS", {})


def checks_for(page_or_class) -> list[Check]:
    """The enabled checks a page type declares (`prepublish_checks`)."""
    declared = getattr(page_or_class, "prepublish_checks", None) or ()
    return [check for check in declared if check.enabled]


def has_checks(page_or_class) -> bool:
    return bool(checks_for(page_or_class))


def run_checks(page) -> Report:
    """Run the page type's enabled checks on `page` (a draft in memory or a
    revision's object: the content about to be published)."""
    return Report([CheckResult(check, check.run(page)) for check in checks_for(page)])
