"""Wagtail's PostgreSQL search, ranking a bounded set of matches.

Wagtail's PostgreSQL backend ranks by relevance every row that matches: a word
in every article ("story") made it read, rank and sort all 100,000 index entries
for each search (2 s) and count them all again for the pager. Here a search
ordered by relevance first takes the newest RANKED_MATCHES matches (highest
primary key: pages are numbered as they are created), in steps that each stop
early (BoundedRanking.newest_matches), and ranks only those.
Results, pager and count are then those of the newest RANKED_MATCHES matches,
whatever the size of the archive; a word rarer than that ranks every match, as
before. A search ordered by something else (the admin's "order by title") is
Wagtail's, unchanged.

Used by search/backend.py on PostgreSQL: the reader search, the API's ?search=,
the admin's page search and the page chooser all go through it.
"""

import re

from django.db import connections
from django.db.models import Exists, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.db.models.sql import Query
from modelsearch.backends.database.postgres.postgres import (
    PostgresAutocompleteQueryCompiler,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
)
from modelsearch.query import Fuzzy, MatchAll, Not, PlainText
from modelsearch.utils import get_descendants_content_types_pks

# How many of the newest matches a relevance-ordered search ranks: a hundred
# pages of ten results, and a ranking that stays in the tens of milliseconds.
RANKED_MATCHES = 1000
# How far back from the newest row the walk for a common word goes: a word in
# one row in ten of the newest finds its matches within them.
WALKED_ROWS = 10 * RANKED_MATCHES
# How Wagtail's PostgreSQL backend splits a plain query into words.
WORD_SEPARATORS = re.compile(r"[\s\-]+")
# The relation modelsearch gives every indexed model to its index entries.
ENTRIES = "index_entries"
# Words whose lexeme count is known (stop words have none), per process.
KNOWN_WORDS = 10_000
_lexeme_counts: dict[tuple, int] = {}
_content_types: dict[type, list[int]] = {}


class BoundedRanking:
    """Mixin for a PostgreSQL query compiler: relevance ranks only the newest
    RANKED_MATCHES matches."""

    def search(self, config, start, stop, score_field=None, backend=None):
        queryset = self.queryset
        if self.order_by_relevance and not isinstance(
            self.query, (MatchAll, Not, Fuzzy)
        ):
            # The count and the page of results share the list: it is found once.
            if not hasattr(self, "_newest_matches"):
                self._newest_matches = list(self.newest_matches(config))
            rows = [row for row, _entry in self._newest_matches]
            entries = [entry for _row, entry in self._newest_matches if entry]
            self.queryset = queryset.filter(pk__in=rows)
            if entries and len(entries) == len(rows):
                # Their index entries by primary key too: Wagtail's query joins
                # the rows to their entries, and PostgreSQL, guessing a prefix
                # rare, read every entry the prefix matched to do it.
                self.queryset = self.queryset.filter(**{f"{ENTRIES}__pk__in": entries})
        try:
            return super().search(config, start, stop, score_field, backend)
        finally:
            self.queryset = queryset

    def newest_matches(self, config):
        """The primary keys of the newest RANKED_MATCHES matching rows, each with
        its index entry's. Found in steps that each stop early, so a common word
        costs what a rare one does (PostgreSQL's own plan is no guide: it takes
        any prefix for a rare word, and then reads every match):

        1. the first RANKED_MATCHES + 1 matching entries, through the GIN indexes:
           no more than RANKED_MATCHES (a rare word) and these are all of them;
        2. else the rows newest first, among the newest WALKED_ROWS, each looking
           up its own entry through the (content type, object id) unique index,
           until there are RANKED_MATCHES (a common word: a short walk);
        3. else (a word in fewer than one row in ten of the newest) every
           matching entry, and the newest RANKED_MATCHES of their rows.
        """
        entries = self.matching_entries(config)
        if entries is None:  # a phrase, explicit fields: Wagtail's match
            return [(row, None) for row in self.wagtails_matches(config)]
        pk = self.queryset.model._meta.pk
        first = list(entries.values_list("object_id", "pk")[: RANKED_MATCHES + 1])
        if len(first) <= RANKED_MATCHES:
            return [(pk.to_python(object_id), entry) for object_id, entry in first]
        newest_first = self.queryset.order_by("-pk")
        # The walk's far end, on the table's primary key alone (an index-only
        # scan): the queryset's own filters would join for every row passed.
        table = self.queryset.model._default_manager.order_by("-pk")
        oldest_walked = table.values("pk")[WALKED_ROWS - 1 : WALKED_ROWS]
        object_id = entries.model._meta.get_field("object_id")
        own_entry = entries.filter(object_id=Cast(OuterRef("pk"), object_id))
        # A subquery per row, which PostgreSQL cannot turn into a join (and so
        # into a hash of every match): the walk stops when it has enough.
        walked = list(
            newest_first.filter(
                Q(pk__gte=Subquery(oldest_walked)) | ~Exists(oldest_walked)
            )
            .annotate(_entry=Subquery(own_entry.values("pk")[:1]))
            .filter(_entry__isnull=False)
            .values_list("pk", "_entry")[:RANKED_MATCHES]
        )
        if len(walked) == RANKED_MATCHES:
            return walked
        found = {
            pk.to_python(object_id): entry
            for object_id, entry in entries.values_list("object_id", "pk")
        }
        rows = newest_first.filter(pk__in=found).values_list("pk", flat=True)
        return [(row, found[row]) for row in rows[:RANKED_MATCHES]]

    def matching_entries(self, config):
        """The index entries of this model that match, or None for a query this
        cannot rewrite. Wagtail matches the columns joined, `(title || body) @@
        query`, which has neither index nor statistics: PostgreSQL read every
        entry to find a rare word and took a common one for rare. Here each word
        is looked for column by column, which the GIN indexes answer and the
        word statistics estimate. A word is in the joined columns when it is in
        one of them, so for plain words (all of them, or any) the matches are
        the same; in an autocomplete query the earlier words match as prefixes
        too, a few more candidates, which Wagtail's own match then drops."""
        if not isinstance(self.query, PlainText) or self.fields is not None:
            return None
        words = [
            word for word in WORD_SEPARATORS.split(self.query.query_string) if word
        ]
        columns = [
            vector.name.removeprefix(f"{ENTRIES}__")
            for vector, _boost in self.get_search_vectors(None)
        ]
        every_word = self.query.operator == "and"
        condition = Q()
        for word in words:
            word_query = self.build_tsquery(PlainText(word), config=config)
            if not self.has_lexemes(word, word_query):
                continue  # a stop word ("the"): Wagtail's query drops it too
            in_a_column = Q()
            for column in columns:
                in_a_column |= Q(**{column: word_query})
            condition = (
                (condition & in_a_column) if every_word else (condition | in_a_column)
            )
        if not condition:
            return None  # only stop words: Wagtail's match (which finds nothing)
        entries = self.queryset.model._meta.get_field(ENTRIES).related_model
        return entries._default_manager.filter(
            condition,
            content_type_id__in=content_types_of(self.queryset.model),
        )

    def wagtails_matches(self, config):
        search_query = self.build_tsquery(self.query, config=config)
        vectors = [vector for vector, _boost in self.get_search_vectors(search_query)]
        combined = vectors[0]
        for vector in vectors[1:]:
            combined = combined._combine(vector, "||", False)
        return (
            self.queryset.annotate(_match_vector_=combined)
            .filter(_match_vector_=search_query)
            .order_by("-pk")
            .values_list("pk", flat=True)[:RANKED_MATCHES]
        )

    def has_lexemes(self, word: str, word_query) -> bool:
        """Whether the word is more than a stop word, asked of the database once
        per word (a stop word's query is empty, and matches nothing)."""
        key = (type(self).__name__, self.queryset.db, word)
        if key not in _lexeme_counts:
            if len(_lexeme_counts) >= KNOWN_WORDS:
                _lexeme_counts.clear()
            query = Query(self.queryset.model)
            count = Func(word_query, function="numnode", output_field=IntegerField())
            compiler = query.get_compiler(using=self.queryset.db)
            sql, params = compiler.compile(count.resolve_expression(query))
            with connections[self.queryset.db].cursor() as cursor:
                cursor.execute(f"SELECT {sql}", params)
                _lexeme_counts[key] = cursor.fetchone()[0]
        return _lexeme_counts[key] > 0


def content_types_of(model) -> list[int]:
    """The content types whose index entries a search of `model` reads, once
    per process (modelsearch asks the database at every search)."""
    if model not in _content_types:
        _content_types[model] = get_descendants_content_types_pks(model)
    return _content_types[model]


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
