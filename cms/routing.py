"""Cheaper page routing for parents whose children are of one known type."""

from django.apps import apps

# The routing query of each parent, built once per process (see _routing_query).
_ROUTING_QUERIES: dict[tuple, object] = {}


class TypedChildRoutingMixin:
    """Route to a child of `routed_child_model` in one query.

    Wagtail's generic routing fetches the child as a plain Page and then again as
    its specific type, and lazy foreign keys cost more queries at render time. A
    parent that knows its children's type fetches the specific child directly,
    with `routed_child_select_related` joined in. Anything else falls back to
    Wagtail's routing.
    """

    routed_child_model: str | None = None  # "app_label.ModelName"
    routed_child_select_related: tuple[str, ...] = ()

    def routed_children(self):
        """The children routing picks from; override to annotate them too."""
        return (
            apps.get_model(self.routed_child_model)
            .objects.child_of(self)
            .select_related(*self.routed_child_select_related)
        )

    def _routing_query(self):
        """routed_children() without an order, built once per parent (and tree
        position) and process: building it (the child_of filter, the joins, the
        annotations' subqueries) cost more than running it. Each request filters
        a clone, so the kept queryset is never evaluated or changed."""
        key = (type(self), self.pk, self.path)
        query = _ROUTING_QUERIES.get(key)
        if query is None:
            query = _ROUTING_QUERIES[key] = self.routed_children().order_by()
        return query

    def route(self, request, path_components):
        if path_components and self.live and self.routed_child_model is not None:
            # Slugs are unique among siblings: no ORDER BY (first() would add one,
            # and compiling it is a good part of the query's cost).
            found = self._routing_query().filter(slug=path_components[0])
            child = next(iter(found[:1]), None)
            if child is not None:
                # A subclass (say a review under articles) still gets its own type;
                # for the routed type itself `.specific` costs no query.
                child = child.specific
                child._cached_parent_obj = self  # get_parent() without a query
                return child.route(request, path_components[1:])
        return super().route(request, path_components)
