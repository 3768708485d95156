"""search() on SQLite against the stemmed FTS5 table (search/backend.py says why).

Importable on SQLite only: modelsearch's SQLite modules look up a model that
Wagtail defines only when the database is SQLite.
"""

from django.db.models import FloatField, OuterRef, Subquery
from modelsearch.backends.database.sqlite.query import BM25, MatchExpression, normalize
from modelsearch.backends.database.sqlite.sqlite import (
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
)
from modelsearch.query import MatchAll, Not, Phrase, PlainText
from modelsearch.utils import get_descendants_content_types_pks

from .models import StemmedIndexEntry

STEMMED_TABLE = StemmedIndexEntry._meta.db_table


class StemmedMatch(MatchExpression):
    template = f"{STEMMED_TABLE} MATCH %s"


class StemmedBM25(BM25):
    def as_sql(self, compiler, connection, function=None, template=None):
        return f"bm25({STEMMED_TABLE})", []


class StemmedSearchQueryCompiler(SQLiteSearchQueryCompiler):
    """Upstream's compiler (modelsearch 1.3) with the stemmed table in place of
    Wagtail's: its table name is fixed in the match and rank expressions and in
    search(), which is therefore repeated here with only that changed."""

    def build_tsrank(self, vector, query, config=None, boost=1.0):
        if isinstance(query, Phrase | PlainText | Not):
            rank = StemmedBM25()
            return rank * boost if boost != 1.0 else rank
        return super().build_tsrank(vector, query, config=config, boost=boost)

    def search(self, config, start, stop, score_field=None):
        normalized_query = normalize(self.query)
        if isinstance(normalized_query, MatchAll):
            return self.queryset[start:stop]
        if isinstance(normalized_query, Not) and isinstance(
            normalized_query.subquery, MatchAll
        ):
            return self.queryset.none()
        negated = isinstance(normalized_query, Not)
        if negated:
            normalized_query = normalized_query.subquery

        search_query = self.build_search_query(normalized_query, config=config)
        match = StemmedMatch(self.fields or self.FTS_TABLE_FIELDS, search_query)
        rank = self._build_rank_expression(self.get_search_vectors(), config)
        index_query = (
            StemmedIndexEntry.objects.filter(match)
            .select_related("index_entry")
            .filter(
                index_entry__content_type__in=get_descendants_content_types_pks(
                    self.queryset.model
                )
            )
            .annotate(score=rank)
        )
        object_ids = index_query.values_list("index_entry__object_id", flat=True)
        if negated:
            queryset = self.queryset.exclude(pk__in=object_ids)
        else:
            queryset = self.queryset.filter(pk__in=object_ids)

        if self.order_by_relevance and score_field is None and not negated:
            score_field = "_score"  # ordering by relevance needs the scores
        if score_field is not None and not negated:
            scores = index_query.filter(index_entry__object_id=OuterRef("pk")).values(
                "score"
            )[:1]
            queryset = queryset.annotate(
                **{score_field: Subquery(scores, output_field=FloatField())}
            )
            if self.order_by_relevance:
                queryset = queryset.order_by(score_field, "-pk")
        if not self.order_by_relevance and not queryset.query.order_by:
            queryset = queryset.order_by("-pk")  # stable across pages
        return queryset[start:stop]


class StemmingSQLiteSearchBackend(SQLiteSearchBackend):
    query_compiler_class = StemmedSearchQueryCompiler
