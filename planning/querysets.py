"""Reads of planning items: predicates chainable in any order."""

import datetime

from django.db import models

from .roles import is_editor


class PlanItemQuerySet(models.QuerySet):
    def assigned_to(self, user) -> "PlanItemQuerySet":
        return self.filter(assignees=user)

    def visible_to(self, user) -> "PlanItemQuerySet":
        """Editors see every item; anyone else, the items assigned to them."""
        return self.all() if is_editor(user) else self.assigned_to(user)

    def open(self) -> "PlanItemQuerySet":
        """Not yet handed over: everything before "ready"."""
        return self.exclude(status=self.model.Status.READY)

    def due_between(
        self, start: datetime.datetime, end: datetime.datetime
    ) -> "PlanItemQuerySet":
        return self.filter(due__gte=start, due__lt=end)

    def by_due(self) -> "PlanItemQuerySet":
        # Items without a due date last; ties by id so the order is stable.
        return self.order_by(models.F("due").asc(nulls_last=True), "pk")
