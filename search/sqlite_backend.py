"""Wagtail's SQLite (FTS5) search backend with its title and body stemmed like PostgreSQL's.

Only imported on SQLite (its models exist only there), by `search.backend`. The title and body are
stored stemmed by the Snowball stemmer named by `SEARCH_CONFIG` (`search.stemming`), and the words
of plain-text and phrase queries are stemmed the same way before FTS5 matches them. Autocomplete
stays unstemmed, as PostgreSQL's uses the "simple" configuration: "pelay" suggests "Pelayanan".
"""

from modelsearch.backends.database.sqlite.sqlite import (
    IndexEntry,
    ObjectIndexer,
    SQLiteIndex,
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
)
from modelsearch.index import SearchField
from modelsearch.query import Phrase, PlainText
from modelsearch.utils import get_content_type_pk

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


class StemmedSQLiteSearchBackend(SQLiteSearchBackend):
    query_compiler_class = StemmedSQLiteSearchQueryCompiler
    index_class = StemmedSQLiteIndex

    def __init__(self, params):
        super().__init__(params)
        # Wagtail's SQLite backend has no configuration; ours is the Snowball stemmer named
        # like PostgreSQL's text search configuration ("indonesian"), given to the indexer and
        # the query compiler the way PostgreSQL's backend gives them its configuration.
        self.config = params.get("SEARCH_CONFIG")
