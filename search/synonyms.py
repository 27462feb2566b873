"""Query expansion from the `SearchSynonym` snippet: "SKP" also searches "sasaran kinerja
pegawai", and the other way round.

Each call reads the synonyms table (one small query, so an edit in the admin applies at once on
every worker, without cache invalidation); the matcher compiled from its rows is memoised by
their content.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from search.models import SearchSynonym, expansions_split

#: At most this many phrasings of one query, the original included: each one costs the search.
MAX_EXPANSIONS = 8


@dataclass(frozen=True)
class _Matcher:
    """Finds the synonym phrases in a text (whole words, ignoring case) and what replaces them."""

    pattern: re.Pattern
    alternatives: dict[str, tuple[str, ...]]

    def expand(self, text: str, *, limit: int) -> list[str]:
        phrasings = [text]
        seen = {text.casefold()}
        for match in self.pattern.finditer(text):
            key = " ".join(match.group().split()).casefold()
            for replacement in self.alternatives.get(key, ()):
                phrasing = text[: match.start()] + replacement + text[match.end() :]
                if phrasing.casefold() not in seen:
                    seen.add(phrasing.casefold())
                    phrasings.append(phrasing)
                if len(phrasings) >= limit:
                    return phrasings
        return phrasings


@lru_cache(maxsize=8)
def _matcher(rows: tuple[tuple[str, str], ...]) -> _Matcher | None:
    alternatives: dict[str, list[str]] = {}

    def add(phrase: str, replacement: str) -> None:
        options = alternatives.setdefault(phrase.casefold(), [])
        if replacement.casefold() not in {option.casefold() for option in options}:
            options.append(replacement)

    for term, expansions in rows:
        term = " ".join(term.split())
        phrases = [phrase for phrase in expansions_split(expansions) if phrase]
        if not term or not phrases:
            continue
        for phrase in phrases:
            add(term, phrase)
            add(phrase, term)
    if not alternatives:
        return None
    # Longest phrases first, so "pendidikan dan pelatihan" wins over "pelatihan" inside it.
    phrases = sorted(alternatives, key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(word) for word in phrase.split()) for phrase in phrases)
    pattern = re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)
    return _Matcher(pattern, {key: tuple(value) for key, value in alternatives.items()})


def query_expansions(text: str) -> list[str]:
    """The phrasings of a search query: the query itself (whitespace collapsed) first, then the
    query with one synonym phrase replaced by each of its equivalents (a term by its expansions,
    an expansion by its term), whole words only, ignoring case, at most `MAX_EXPANSIONS` in all.

    A blank query has no phrasings (`[]`) and costs no query.
    """
    original = " ".join(text.split())
    if not original:
        return []
    rows = tuple(SearchSynonym.objects.order_by("pk").values_list("term", "expansions"))
    matcher = _matcher(rows) if rows else None
    if matcher is None:
        return [original]
    return matcher.expand(original, limit=MAX_EXPANSIONS)
