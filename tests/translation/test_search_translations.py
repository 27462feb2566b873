"""Search in the learner's language: under /en/ a lesson or a library resource is also found by
its English translation's words, and listed as its Indonesian page under its English title, in
the same number of queries however many match; the Indonesian search never reads translations."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from content.factories import ResourcePageFactory
from content.models import LibrarySectionPage
from courses.factories import course_with_lessons, provider_page_of
from courses.models import ModulePage
from search.catalog import CatalogFilters, catalog_search
from search.matching import resource_matches
from tests.translation.test_translation import _lesson, _translate

pytestmark = pytest.mark.django_db


def _search(language: str, query: str):
    with translation.override(language):
        return catalog_search(filters=CatalogFilters(query=query), page_number=1)


def test_under_en_a_lesson_is_found_by_its_english_words_only(search_index, course_a, course_b):
    lesson = _lesson(course_a)
    module = ModulePage.objects.get(pk=lesson.get_parent().pk)
    _translate(module, "Integrity at work")
    _translate(lesson, "Whistleblowing in practice")

    english = _search("en", "whistleblowing")
    assert [result.course.pk for result in english.results] == [course_a.pk]
    match = english.results[0].lesson_match
    # The Indonesian lesson (where progress is kept), under its English and its module's titles.
    assert match.lesson_id == lesson.pk and match.lesson_url_path == lesson.url_path
    assert (match.lesson_title, match.module_title) == (
        "Whistleblowing in practice",
        "Integrity at work",
    )
    assert _search("id-id", "whistleblowing").results == []


def test_under_en_a_lesson_found_by_its_indonesian_words_shows_its_english_title(
    search_index, course_a
):
    lesson = _lesson(course_a)
    _translate(lesson, "Whistleblowing in practice")

    match = _search("en", lesson.title.split(":")[0]).results[0].lesson_match
    assert match.lesson_title == "Whistleblowing in practice"
    indonesian = _search("id-id", lesson.title.split(":")[0]).results[0].lesson_match
    assert indonesian.lesson_title == lesson.title


def test_under_en_a_resource_is_found_by_its_english_words_only(search_index, provider_a):
    resource = ResourcePageFactory(
        parent=LibrarySectionPage.objects.get(organization=provider_a), title="Panduan Pengaduan"
    )
    _translate(resource, "Whistleblower protection guide")

    with translation.override("en"):
        found = resource_matches("whistleblower", limit=10)
    assert [(page.pk, page.title) for page in found] == [
        (resource.pk, "Whistleblower protection guide")
    ]
    with translation.override("id-id"):
        assert resource_matches("whistleblower", limit=10) == []
        url = reverse("search:search")
    with translation.override("en"):
        resource_url = resource.url  # the Indonesian page, under /en/
    html = Client().get("/en" + url, {"q": "whistleblower"}).content.decode()
    assert f'<a href="{resource_url}">Whistleblower protection guide</a>' in html


def _queries(query: str) -> int:
    with translation.override("en"), CaptureQueriesContext(connection) as captured:
        catalog_search(filters=CatalogFilters(query=query), page_number=1)
        resource_matches(query, limit=10)
    return len(captured)


def test_the_english_search_takes_the_same_queries_for_one_match_or_many(
    search_index, course_a, provider_a
):
    section = LibrarySectionPage.objects.get(organization=provider_a)
    courses = [course_a] + [
        course_with_lessons(
            provider_page=provider_page_of(provider_a), title=f"Kursus {number}", modules=1
        )
        for number in range(3)
    ]
    resources = [ResourcePageFactory(parent=section, title=f"Panduan {n}") for n in range(4)]
    _translate(_lesson(courses[0]), "Whistleblowing in practice")
    _translate(resources[0], "Whistleblowing guide 0")
    one = _queries("whistleblowing")

    for number in range(1, 4):
        _translate(_lesson(courses[number]), f"Whistleblowing lesson {number}")
        _translate(resources[number], f"Whistleblowing guide {number}")

    assert _search("en", "whistleblowing").total == 4
    with translation.override("en"):
        assert len(resource_matches("whistleblowing", limit=10)) == 4
    assert _queries("whistleblowing") == one


def _suggested(language: str, query: str) -> list[tuple[str, str]]:
    with translation.override(language):
        url = reverse("search:suggest")
    return [(row["title"], row["url"]) for row in Client().get(url, {"q": query}).json()["results"]]


def _address(page, language: str) -> str:
    with translation.override(language):
        return page.url


def test_under_en_title_suggestions_match_and_show_english_titles(search_index, course_a, course_b):
    _translate(course_a, "Public Service Ethics")

    # The English title's words, the Indonesian page's address under /en/.
    assert _suggested("en", "ethi") == [("Public Service Ethics", _address(course_a, "en"))]
    # An Indonesian title's words still suggest the course, under its English title.
    assert ("Public Service Ethics", _address(course_a, "en")) in _suggested(
        "en", course_a.title[:6]
    )
    # An untranslated course keeps its Indonesian title.
    assert (course_b.title, _address(course_b, "en")) in _suggested("en", course_b.title[:6])
    # The Indonesian suggestions never read translations.
    assert _suggested("id-id", "ethi") == []
    assert _suggested("id-id", course_a.title[:6])[0] == (
        course_a.title,
        _address(course_a, "id-id"),
    )


def test_suggestions_take_the_same_queries_for_one_match_or_many(search_index, provider_a):
    courses = [
        course_with_lessons(
            provider_page=provider_page_of(provider_a), title=f"Etika Jabatan {number}", modules=1
        )
        for number in range(4)
    ]
    _translate(courses[0], "Etiquette at work 0")

    def queries(language: str) -> int:
        with translation.override(language):
            url = reverse("search:suggest")
        client = Client()
        client.get(url, {"q": "eti"})
        with CaptureQueriesContext(connection) as captured:
            client.get(url, {"q": "eti"})
        return len(captured)

    indonesian, english = queries("id-id"), queries("en")
    for number in range(1, 4):
        _translate(courses[number], f"Etiquette at work {number}")

    # "eti" starts the English titles and the Indonesian ones: every step of the English
    # suggestions runs, for one translated course and for four.
    assert sorted(title for title, _url in _suggested("en", "eti")) == [
        f"Etiquette at work {number}" for number in range(4)
    ]
    assert queries("id-id") == indonesian
    # One title search more (three queries on SQLite's backend, one on PostgreSQL's), the
    # sources of the translations matched and the English titles.
    assert queries("en") == english <= indonesian + 5
