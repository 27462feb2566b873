"""Full-text matching, shared by the catalog and the site search: the query as typed, cleaned
once for every search box; the live, public courses it matches (directly, or through one of
their lessons), with the synonyms an editor set; and the highlighted snippets that show why.
"""

import re
from dataclasses import dataclass
from uuid import UUID

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from modelsearch.backends.database.postgres.postgres import PostgresSearchResults
from wagtail.search.query import Or, PlainText

from content.inputs import CONTROL_CHARACTERS
from content.models import ResourcePage
from content.translation import (
    content_language,
    locale_id,
    localize_listing,
    reads_translation,
    source_locale_id,
    source_pages,
    translated_titles,
)
from courses.models import CoursePage, LessonPage, ModulePage
from search.stemming import search_language, words_stem

MAX_QUERY_LENGTH = 200
#: Wagtail's database backend nests one expression per word: 2,000 words were a RecursionError.
MAX_QUERY_WORDS = 32


def search_query_clean(raw: str) -> str:
    """The words typed, with spaces collapsed and double quotes dropped: Wagtail's SQLite
    backend wraps each word in quotes for FTS5 without escaping them, so a quote inside a
    word is a syntax error (a 500) there. Words are matched as words anyway.

    The one cleaning of every search box: the site search, the catalog, the suggestions and
    the content API's `?search=`. Control characters count as spaces (a NUL in the address is
    refused before, by `lentera.middleware.ControlCharactersRefused`); a long query keeps its
    first words, as a search box would."""
    words = CONTROL_CHARACTERS.sub(" ", raw.replace('"', " ")).split()
    return " ".join(words[:MAX_QUERY_WORDS])[:MAX_QUERY_LENGTH].strip()


SNIPPET_LENGTH = 220


def _expansions(query: str) -> list[str]:
    try:
        from search.synonyms import query_expansions
    except ImportError:  # pragma: no cover - synonyms arrive with their own module
        return [query]
    return query_expansions(query) or [query]


def _search_expression(query: str):
    phrasings = _expansions(query)
    if len(phrasings) == 1:
        return PlainText(phrasings[0])
    return Or([PlainText(phrasing) for phrasing in phrasings])


@dataclass
class LessonMatch:
    lesson_id: int
    lesson_title: str
    lesson_url_path: str
    module_title: str
    # Translation keys, to show the lesson and module under their translations' titles.
    lesson_key: UUID | None = None
    module_key: UUID | None = None


def _rows(queryset, expression, fields: tuple[str, ...]) -> list[tuple]:
    """`fields` of the pages of `queryset` matching `expression`, best first.

    On PostgreSQL they are read as tuples from the search's own queryset: a common word matches
    thousands of lessons and courses at size L (2,000 courses), and building a page instance
    for each cost more than the search (the catalog search at L was 4.8x its time at S).
    SQLite's ranked results (`search.sqlite_backend`) come from their own scan, as instances.
    """
    results = queryset.only(*fields).search(expression)
    if isinstance(results, PostgresSearchResults):
        return list(results.get_queryset().values_list(*fields))
    return [tuple(getattr(page, field) for field in fields) for page in results]


def _translations_matching(model, expression) -> list:
    """The translation keys of the live pages of `model` in a language other than the source
    whose words match `expression`, best first: one query."""
    translated = model.objects.live().exclude(locale_id=source_locale_id())
    return list(
        dict.fromkeys(key for (key,) in _rows(translated, expression, ("translation_key",)))
    )


def _source_rows_of_translations(
    model, source_queryset, expression, fields: tuple[str, ...], *, found: set
) -> list[tuple]:
    """`fields` (the page's id first, its translation key among them) of the source pages of
    `source_queryset` whose translation matches `expression`, in the translations' order,
    leaving out the pages in `found`. Two queries, the second only when a translation
    matched: the search reads the translations' keys, then the source pages by key."""
    keys = _translations_matching(model, expression)
    if not keys:
        return []
    key_at = fields.index("translation_key")
    by_key = {
        row[key_at]: row
        for row in source_queryset.filter(translation_key__in=keys).values_list(*fields)
    }
    return [by_key[key] for key in keys if key in by_key and by_key[key][0] not in found]


def text_matches(query: str) -> tuple[list[int], dict[int, LessonMatch]]:
    """Ids of live, public courses matching `query`, best first: direct matches, then courses
    matched through one of their lessons (with the first such lesson). The same queries
    whatever the number of matches; under /en/ courses and lessons are also found by their
    English translations' words (listed as their Indonesian pages, under their English
    titles), five queries more at most, none in Indonesian."""
    expression = _search_expression(query)
    live = source_pages(CoursePage.objects.live().public())
    direct = [pk for (pk,) in _rows(live, expression, ("pk",))]
    if reads_translation():
        # Under /en/ a course is also found by its English translation's words, and listed as
        # its Indonesian page (two queries more, in English only).
        direct += [
            pk
            for pk, _key in _source_rows_of_translations(
                CoursePage, live, expression, ("pk", "translation_key"), found=set(direct)
            )
        ]
    lesson_fields = ("pk", "path", "title", "url_path", "translation_key")
    source_lessons = source_pages(LessonPage.objects.live().public())
    lessons = _rows(source_lessons, expression, lesson_fields)
    if reads_translation():
        # Under /en/ a lesson is also found by its English translation's words, and shown as
        # its Indonesian page (where progress is kept) under its English title.
        lessons += _source_rows_of_translations(
            LessonPage, source_lessons, expression, lesson_fields, found={row[0] for row in lessons}
        )
    steplen = LessonPage.steplen
    course_paths = {row[1][: -2 * steplen] for row in lessons}
    courses_by_path = (
        dict(live.filter(path__in=course_paths).values_list("path", "pk")) if course_paths else {}
    )
    modules = (
        {
            path: (title, key)
            for path, title, key in ModulePage.objects.filter(
                path__in={row[1][:-steplen] for row in lessons}
            ).values_list("path", "title", "translation_key")
        }
        if lessons
        else {}
    )
    via_lessons: dict[int, LessonMatch] = {}
    for pk, path, title, url_path, key in lessons:
        course_id = courses_by_path.get(path[: -2 * steplen])
        if course_id is not None and course_id not in via_lessons:
            module_title, module_key = modules.get(path[:-steplen], ("", None))
            via_lessons[course_id] = LessonMatch(
                lesson_id=pk,
                lesson_title=title,
                lesson_url_path=url_path,
                module_title=module_title,
                lesson_key=key,
                module_key=module_key,
            )
    if via_lessons and reads_translation():
        # The lessons and modules shown, under their English titles where translated (one
        # query, for the shown ones only).
        titles = translated_titles(
            [match.lesson_key for match in via_lessons.values()]
            + [match.module_key for match in via_lessons.values() if match.module_key]
        )
        for match in via_lessons.values():
            match.lesson_title = titles.get(match.lesson_key, match.lesson_title)
            match.module_title = titles.get(match.module_key, match.module_title)
    ordered = direct + [pk for pk in via_lessons if pk not in set(direct)]
    return ordered, via_lessons


def resource_matches(query: str, *, limit: int) -> list[ResourcePage]:
    """Live, public library resources matching `query`, best first, at most `limit`. Under
    /en/ a resource is also found by its English translation's words, and every one is its
    Indonesian page with its English title and summary where translated: three queries more
    there (the translations' search, their sources, the English texts), none in Indonesian."""
    resources = source_pages(ResourcePage.objects.live().public()).defer_streamfields()
    found = list(resources.search(query)[:limit])
    if not reads_translation():
        return found
    if len(found) < limit:
        keys = _translations_matching(ResourcePage, query)
        if keys:
            by_key = {
                page.translation_key: page for page in resources.filter(translation_key__in=keys)
            }
            shown = {page.pk for page in found}
            found += [by_key[key] for key in keys if key in by_key and by_key[key].pk not in shown][
                : limit - len(found)
            ]
    return localize_listing(found)


def course_suggestions(query: str, *, limit: int) -> list[CoursePage]:
    """Live, public courses (superseded ones left out: content.review) whose title starts like
    the typed words, at most `limit`, for the search boxes' title suggestions.

    Under /en/ the courses whose English title starts like them come first, then those whose
    Indonesian title does; each is its Indonesian page (its address, where progress is kept)
    under its English title where translated. Three queries more there (the translations'
    titles matched, their sources, the English titles), none in Indonesian."""
    courses = (
        source_pages(CoursePage.objects.live().public())
        .filter(superseded=False)
        .only("pk", "title", "url_path", "translation_key")
    )
    if not reads_translation():
        return list(courses.autocomplete(query)[:limit])
    translations = (
        CoursePage.objects.live()
        .filter(locale_id=locale_id(content_language()))
        .only("pk", "translation_key")
    )
    keys = list(
        dict.fromkeys(page.translation_key for page in translations.autocomplete(query)[:limit])
    )
    found = []
    if keys:
        by_key = {page.translation_key: page for page in courses.filter(translation_key__in=keys)}
        found = [by_key[key] for key in keys if key in by_key]
    if len(found) < limit:
        shown = {page.pk for page in found}
        found += [page for page in courses.autocomplete(query)[:limit] if page.pk not in shown][
            : limit - len(found)
        ]
    titles = translated_titles(page.translation_key for page in found)
    for page in found:
        page.title = titles.get(page.translation_key, page.title)
    return found


# Snippets ----------------------------------------------------------------------------------


def query_terms(query: str) -> list[str]:
    """The words to highlight: those of the query and its synonyms, longest first."""
    words = {
        word.lower() for phrasing in _expansions(query) for word in re.findall(r"\w{2,}", phrasing)
    }
    return sorted(words, key=len, reverse=True)


def _marked_words(text: str, terms: list[str]):
    """The words of `text` to mark: those containing a term ("layanan" marks "pelayanan") or
    sharing a term's stem, as the search engine matched them ("melayani" marks "pelayanan")."""
    language = search_language()
    stems = {words_stem(term, language=language) for term in terms}
    for match in re.finditer(r"\w+", text):
        word = match.group().lower()
        if any(term in word for term in terms) or words_stem(word, language=language) in stems:
            yield match


def highlight(text: str, terms: list[str], *, length: int = SNIPPET_LENGTH) -> SafeString:
    """A window of `text` around the first match, everything escaped, matching words in <mark>
    (see `_marked_words`)."""
    text = " ".join((text or "").split())
    if not text:
        return mark_safe("")
    first = next(_marked_words(text, terms), None) if terms else None
    start = 0
    if first and first.start() > length // 3:
        start = text.rfind(" ", 0, first.start() - length // 3) + 1
    window = text[start : start + length]
    if start + length < len(text):
        window = window[: window.rfind(" ")] if " " in window else window
    parts, position = [], 0
    for match in _marked_words(window, terms) if terms else []:
        parts.append(escape(window[position : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    parts.append(escape(window[position:]))
    prefix = "… " if start else ""
    suffix = " …" if start + len(window) < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix)  # noqa: S308 - every piece escaped above
