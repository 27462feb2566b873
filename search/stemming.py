"""Word stems for full-text search: "pelayanan", "melayani" and "layanan" all become "layan".

PostgreSQL stems with its text search configuration (`indonesian` by default, the Snowball
Indonesian stemmer). SQLite's full-text index has no stemmer of its own, so `search.backend`
stems the indexed text and the query words with the same Snowball algorithm, in Python, and
both databases find the same pages.
"""

import re
import threading
from functools import lru_cache

import snowballstemmer
from django.conf import settings

#: Letters and digits, as SQLite's FTS5 ("unicode61") and PostgreSQL cut text into words.
_WORD = re.compile(r"[^\W_]+")

_ALGORITHMS = frozenset(snowballstemmer.algorithms())

_stemmers = threading.local()  # a Snowball stemmer keeps state while it works: one per thread


def stemming_available(language: str | None) -> bool:
    """Whether `language` names a Snowball stemmer; PostgreSQL's configurations of the same
    names ("indonesian", "english") use it. "simple" and unknown names leave words as they are."""
    return language in _ALGORITHMS


@lru_cache(maxsize=50_000)
def word_stem(word: str, *, language: str) -> str:
    """The stem of one lowercase word. Words with a digit are kept, as PostgreSQL keeps them
    ("covid19", "pp17"), and so is a word the stemmer would leave empty."""
    if any(character.isdigit() for character in word):
        return word
    stemmers = _stemmers.__dict__.setdefault("by_language", {})
    if language not in stemmers:
        stemmers[language] = snowballstemmer.stemmer(language)
    return stemmers[language].stemWord(word) or word


def words_stem(text: str, *, language: str | None) -> str:
    """`text` lowercased with every word replaced by its stem, in place: spaces and punctuation
    stay where they were, so a query keeps its terms ("e-learning" stays one term)."""
    if not text or not stemming_available(language):
        return text
    return _WORD.sub(lambda match: word_stem(match.group().lower(), language=language), text)


def search_language() -> str | None:
    """The stemmer of the default search backend (`SEARCH_CONFIG`), for highlighting."""
    return settings.WAGTAILSEARCH_BACKENDS.get("default", {}).get("SEARCH_CONFIG")
