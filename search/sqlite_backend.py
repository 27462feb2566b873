"""Wagtail's SQLite (FTS5) search backend with its title and body stemmed like PostgreSQL's.

Only imported on SQLite (its models exist only there), by `search.backend`. The title and body are
stored stemmed by the Snowball stemmer named by `SEARCH_CONFIG` (`search.stemming`), and the words
of plain-text and phrase queries are stemmed the same way before FTS5 matches them. Autocomplete
stays unstemmed, as PostgreSQL's uses the "simple" configuration: "pelay" suggests "Pelayanan".
"""

from django.db.models import F
from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
from modelsearch.backends.database.sqlite.sqlite import (
    IndexEntry,
    ObjectIndexer,
    SQLiteFTSIndexEntry,
    SQLiteIndex,
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
    SQLiteSearchResults,
)
from modelsearch.index import SearchField
from modelsearch.query import MatchAll, Not, Phrase, PlainText
from modelsearch.utils import get_content_type_pk, get_descendants_content_types_pks

from search.stemming import words_stem


class StemmedObjectIndexer(ObjectIndexer):
    """Stems the text of every search field; autocomplete fields keep their words as written."""

    def prepare_field(self, obj, field):
        # Related fields recurse into this method for each of their own fields, which are
        # stemmed there: stemming them again here would stem a stem.
        if not isinstance(field, SearchField):
            yield from super().prepare_field(obj, field)
            return
        for current_field, value in super().prepare_field(obj, field):
            yield current_field, words_stem(value, language=self.config)


class StemmedSQLiteIndex(SQLiteIndex):
    def add_items(self, model, objs):
        """`SQLiteIndex.add_items` with `StemmedObjectIndexer`: Wagtail's method creates its
        module's `ObjectIndexer` itself and has no hook for another one. The same queries."""
        if not model.get_search_fields():
            return
        indexers = [StemmedObjectIndexer(obj, self.backend) for obj in objs]
        if not indexers:
            return
        content_type_pk = get_content_type_pk(model)
        ids_and_data = {
            indexer.id: (indexer.title, indexer.autocomplete, indexer.body) for indexer in indexers
        }
        entries_for_ct = self.entries.filter(content_type_id=content_type_pk)
        indexed_ids = frozenset(
            entries_for_ct.filter(object_id__in=ids_and_data.keys()).values_list(
                "object_id", flat=True
            )
        )
        for indexed_id in indexed_ids:
            title, autocomplete, body = ids_and_data[indexed_id]
            entries_for_ct.filter(object_id=indexed_id).update(
                title=title, autocomplete=autocomplete, body=body
            )
        self.entries.bulk_create(
            [
                IndexEntry(
                    content_type_id=content_type_pk,
                    object_id=object_id,
                    title=title,
                    autocomplete=autocomplete,
                    body=body,
                )
                for object_id, (title, autocomplete, body) in ids_and_data.items()
                if object_id not in indexed_ids
            ]
        )
        self._refresh_title_norms()


class StemmedSQLiteSearchQueryCompiler(SQLiteSearchQueryCompiler):
    """Stems the words of plain-text and phrase queries before FTS5 matches them, with the
    stemmer named by `config` (the backend's, as for PostgreSQL)."""

    def build_search_query_content(self, query, config=None):
        if isinstance(query, PlainText):
            query = PlainText(
                words_stem(query.query_string, language=config),
                operator=query.operator,
                boost=query.boost,
            )
        elif isinstance(query, Phrase):
            query = Phrase(words_stem(query.query_string, language=config))
        return super().build_search_query_content(query, config=config)


#: Above this many matches, the queryset is restricted to them by a subquery of the match
#: rather than a list of ids (SQLite's limit of bound parameters).
_IDS_LISTED = 500


def _matches(compiler, config):
    """The index entries of the compiler's model (and its subclasses) that match its query, or
    None for a query that is not ranked (everything, or a negation).

    The content types are compared through `+ 0`, which no index serves: with an index on
    (content_type, object_id) at hand, SQLite's planner would otherwise read the model's
    entries one by one and run the whole full-text match again for each (FTS5 finds a match
    by words, not by row), the cost Wagtail's correlated score had."""
    query = normalize(compiler.query)
    if isinstance(query, MatchAll | Not):
        return None
    match = MatchExpression(
        compiler.fields or compiler.FTS_TABLE_FIELDS,
        compiler.build_search_query(query, config=config),
    )
    return (
        SQLiteFTSIndexEntry.objects.filter(match)
        .alias(content_type_unindexed=F("index_entry__content_type_id") + 0)
        .filter(
            content_type_unindexed__in=get_descendants_content_types_pks(compiler.queryset.model)
        )
    )


def _ranked(compiler, matches, config) -> list:
    """The primary keys of the objects among `matches` with their bm25 scores, best first:
    one scan of the full-text index, whatever the number of rows of the model.

    Wagtail's `SQLiteSearchQueryCompiler.search` orders by a score subquery correlated to each
    result row, which ran the whole match again (and bm25's statistics) for every row: a search
    matching 5x the lessons took 25x the time. Here the same score expression (the title's norm
    as its weight) is computed once per match."""
    rank = compiler._build_rank_expression(compiler.get_search_vectors(), config)
    rows = list(matches.annotate(score=rank).values_list("index_entry__object_id", "score"))
    to_python = compiler.queryset.model._meta.pk.to_python
    rows = [(to_python(object_id), score) for object_id, score in rows]
    # Wagtail's order: score, then the newest object (-pk) among equal scores (Python's sort
    # is stable).
    rows.sort(key=lambda row: row[0], reverse=True)
    rows.sort(key=lambda row: row[1])
    return rows


class RankedSQLiteSearchResults(SQLiteSearchResults):
    """Results ordered by relevance from one scan of the index (see `_ranked`), then the
    queryset's objects among them: two queries for all the results, three for a slice (the
    queryset's keys among the matches, then the slice's objects). Their cost follows the number
    of matches, where Wagtail's one query grew with the matches times the rows."""

    def _do_search(self):
        compiler = self.query_compiler
        config = compiler.get_config(self.backend)
        matches = _matches(compiler, config) if compiler.order_by_relevance else None
        if matches is None:
            return super()._do_search()
        ranked = _ranked(compiler, matches, config)
        if not ranked or self.stop == self.start:
            return []
        queryset = compiler.queryset.order_by()
        restricted = queryset.filter(
            pk__in=[pk for pk, _score in ranked]
            if len(ranked) <= _IDS_LISTED
            else matches.values("index_entry__object_id")
        )
        if self.start or self.stop is not None:
            kept = set(restricted.values_list("pk", flat=True))
            ranked = [row for row in ranked if row[0] in kept][self.start : self.stop]
            restricted = queryset.filter(pk__in=[pk for pk, _score in ranked])
        by_pk = {obj.pk: obj for obj in restricted}
        results = []
        for pk, score in ranked:
            obj = by_pk.get(pk)
            if obj is None:  # not in the queryset (or gone since the first query)
                continue
            if self._score_field:
                setattr(obj, self._score_field, score)
            results.append(obj)
        return results


class StemmedSQLiteSearchBackend(SQLiteSearchBackend):
    query_compiler_class = StemmedSQLiteSearchQueryCompiler
    index_class = StemmedSQLiteIndex
    results_class = RankedSQLiteSearchResults

    def __init__(self, params):
        super().__init__(params)
        # Wagtail's SQLite backend has no configuration; ours is the Snowball stemmer named
        # like PostgreSQL's text search configuration ("indonesian"), given to the indexer and
        # the query compiler the way PostgreSQL's backend gives them its configuration.
        self.config = params.get("SEARCH_CONFIG")
