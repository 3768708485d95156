"""Wagtail's PostgreSQL search, ranking a bounded set of matches.

Wagtail's PostgreSQL backend ranks by relevance every row that matches: a word
in every article ("story") made it read, rank and sort all 100,000 index entries
for each search (2 s) and count them all again for the pager. Here a search
ordered by relevance first takes the newest RANKED_MATCHES matches (highest
primary key: pages are numbered as they are created), which PostgreSQL finds by
walking the primary key and stopping once it has them, and ranks only those.
Results, pager and count are then those of the newest RANKED_MATCHES matches,
whatever the size of the archive; a word rarer than that ranks every match, as
before. A search ordered by something else (the admin's "order by title") is
Wagtail's, unchanged.

Used by search/backend.py on PostgreSQL: the reader search, the API's ?search=,
the admin's page search and the page chooser all go through it.
"""

from django.db.models import Q
from modelsearch.backends.database.postgres.postgres import (
    PostgresAutocompleteQueryCompiler,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
)
from modelsearch.query import Fuzzy, MatchAll, Not, PlainText

# How many of the newest matches a relevance-ordered search ranks: a hundred
# pages of ten results, and a ranking that stays in the tens of milliseconds.
RANKED_MATCHES = 1000


class BoundedRanking:
    """Mixin for a PostgreSQL query compiler: relevance ranks only the newest
    RANKED_MATCHES matches."""

    def search(self, config, start, stop, score_field=None, backend=None):
        if self.order_by_relevance and not isinstance(
            self.query, (MatchAll, Not, Fuzzy)
        ):
            self.queryset = self.queryset.filter(pk__in=self.newest_matches(config))
        return super().search(config, start, stop, score_field, backend)

    def newest_matches(self, config):
        """The primary keys of the newest RANKED_MATCHES matching rows, as a
        subquery (the match itself is Wagtail's: the same fields and words)."""
        search_query = self.build_tsquery(self.query, config=config)
        vectors = [vector for vector, _boost in self.get_search_vectors(search_query)]
        combined = vectors[0]
        for vector in vectors[1:]:
            combined = combined._combine(vector, "||", False)
        return (
            self.queryset.filter(self.indexed_prefilter(vectors, config))
            .annotate(_match_vector_=combined)
            .filter(_match_vector_=search_query)
            .order_by("-pk")
            .values("pk")[:RANKED_MATCHES]
        )

    def indexed_prefilter(self, vectors, config) -> Q:
        """Rows with any of the words in any one index column: a superset of
        the matches that the columns' GIN indexes answer. Wagtail matches the
        columns joined (title || body), which no index holds, so a rare word
        was looked for in every entry; with this the planner finds it through
        the indexes, and walks the newest rows only for a common word."""
        if not isinstance(self.query, PlainText) or self.fields is not None:
            return Q()
        any_word = self.build_tsquery(
            PlainText(self.query.query_string, operator="or"), config=config
        )
        if any_word is None:
            return Q()
        prefilter = Q()
        for vector in vectors:
            prefilter |= Q(**{vector.name: any_word})
        return prefilter


class BoundedSearchQueryCompiler(BoundedRanking, PostgresSearchQueryCompiler):
    pass


class BoundedAutocompleteQueryCompiler(
    BoundedRanking, PostgresAutocompleteQueryCompiler
):
    pass


class BoundedPostgresSearchBackend(PostgresSearchBackend):
    query_compiler_class = BoundedSearchQueryCompiler
    autocomplete_query_compiler_class = BoundedAutocompleteQueryCompiler

    @property
    def ranked_matches(self) -> int:
        """The most matches a relevance-ordered search ranks (the search page
        says "at least" when a count reaches it)."""
        return RANKED_MATCHES
