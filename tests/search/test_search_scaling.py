"""Full-text search costs the same queries however many lessons match: the relevance order
comes from one scan of the index (no score subquery run again for every row, which on SQLite
ran the whole match again per row), and slices keep Wagtail's order."""

import re

import pytest
from django.db import connection

from courses.factories import (
    CoursePageFactory,
    LessonPageFactory,
    ModulePageFactory,
    provider_page_of,
)
from courses.models import CoursePage, LessonPage
from search.matching import text_matches

pytestmark = pytest.mark.django_db


def _lesson(module, title, words="pelayanan publik yang ramah"):
    return LessonPageFactory(
        parent=module,
        title=title,
        body=[{"type": "paragraph", "value": f"<p>Pelatihan {words} bagi ASN.</p>"}],
    )


def _statements(function):
    """The SQL `function` runs (after a first run that fills Django's caches of content
    types), with each list of parameters written as one."""
    function()
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(re.sub(r"%s(, %s)*", "%s", sql))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        result = function()
    return statements, result


def test_the_queries_do_not_depend_on_the_number_of_lessons(provider_a):
    parent = provider_page_of(provider_a)
    course = CoursePageFactory(parent=parent, title="Etika Pelayanan")
    module = ModulePageFactory(parent=course, title="Modul Satu")
    for n in range(2):
        _lesson(module, f"Pelajaran {n}")
    few, (ordered, via_lessons) = _statements(lambda: text_matches("pelatihan pelayanan"))
    assert ordered == [course.pk]

    other = CoursePageFactory(parent=parent, title="Kearsipan Digital", summary="Arsip.")
    other_module = ModulePageFactory(parent=other, title="Modul Arsip")
    for n in range(25):
        _lesson(module, f"Pelajaran tambahan {n}")
        _lesson(other_module, f"Arsip {n}")
        _lesson(other_module, f"Lain {n}", words="kearsipan elektronik")
    many, (ordered, via_lessons) = _statements(lambda: text_matches("pelatihan pelayanan"))

    assert set(ordered) == {course.pk, other.pk}
    assert via_lessons[other.pk].module_title == "Modul Arsip"
    assert many == few
    # No score computed per row in a subquery (the index's rank is read once, at the top).
    for sql in many:
        assert not re.search(r"\(SELECT[\s(]*(bm25|ts_rank)", sql, re.IGNORECASE), sql


def test_slices_and_counts_keep_the_relevance_order(provider_a):
    parent = provider_page_of(provider_a)
    titled = [
        CoursePageFactory(parent=parent, title=title, summary="Pelayanan publik.")
        for title in ("Pelayanan", "Pelayanan Publik Prima", "Pelayanan Publik Prima Bagi ASN")
    ]
    CoursePageFactory(parent=parent, title="Kearsipan", summary="Arsip dinamis.")
    results = CoursePage.objects.live().search("pelayanan")
    everything = [course.pk for course in results]
    assert sorted(everything) == sorted(course.pk for course in titled)
    # The shortest title weighs most (Wagtail's title norm), on either database.
    assert everything[0] == titled[0].pk
    assert [course.pk for course in results[:1]] == everything[:1]
    assert [course.pk for course in results[1:]] == everything[1:]
    assert [course.pk for course in results[1:2]] == everything[1:2]
    assert results.count() == 3
    assert list(CoursePage.objects.live().search("pelayanan")[5:]) == []


def test_the_queryset_restricts_the_ranked_matches(provider_a):
    course = CoursePageFactory(parent=provider_page_of(provider_a), title="Pelayanan Publik")
    module = ModulePageFactory(parent=course, title="Modul")
    shown = _lesson(module, "Terbit")
    hidden = _lesson(module, "Draf")
    hidden.unpublish()
    lessons = LessonPage.objects.live().search("pelayanan")
    assert [lesson.pk for lesson in lessons] == [shown.pk]
    assert [lesson.pk for lesson in lessons[:5]] == [shown.pk]
    scored = list(LessonPage.objects.live().search("pelayanan").annotate_score("_score"))
    assert [lesson.pk for lesson in scored] == [shown.pk]
    assert scored[0]._score is not None


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's full-text backend")
def test_many_matches_are_read_through_the_match_instead_of_a_list_of_ids(provider_a, monkeypatch):
    from search import sqlite_backend

    parent = provider_page_of(provider_a)
    courses = [
        CoursePageFactory(parent=parent, title=f"Pelayanan {n}", summary="Pelayanan publik.")
        for n in range(4)
    ]
    listed = [course.pk for course in CoursePage.objects.live().search("pelayanan")]
    monkeypatch.setattr(sqlite_backend, "_IDS_LISTED", 2)
    statements, through_match = _statements(
        lambda: [course.pk for course in CoursePage.objects.live().search("pelayanan")]
    )
    assert sorted(through_match) == sorted(course.pk for course in courses)
    assert through_match == listed
    assert any("MATCH" in sql and "IN (SELECT" in sql for sql in statements)
    sliced = [course.pk for course in CoursePage.objects.live().search("pelayanan")[1:3]]
    assert sliced == listed[1:3]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="tuples from PostgreSQL's queryset")
def test_matching_builds_no_page_per_matching_lesson_or_course(provider_a, monkeypatch):
    """At size L a common word matches thousands of lessons: only their ids, paths and titles
    are read, as tuples, never one page instance each."""
    parent = provider_page_of(provider_a)
    course = CoursePageFactory(parent=parent, title="Etika Pelayanan")
    module = ModulePageFactory(parent=course, title="Modul Satu")
    lessons = [_lesson(module, f"Pelajaran {n}") for n in range(5)]
    built = []
    for model in (CoursePage, LessonPage):
        original = model.from_db.__func__
        monkeypatch.setattr(
            model,
            "from_db",
            classmethod(lambda cls, *args, _f=original: built.append(cls) or _f(cls, *args)),
        )
    ordered, via_lessons = text_matches("pelatihan pelayanan")
    assert ordered == [course.pk]
    assert via_lessons[course.pk].lesson_id in {lesson.pk for lesson in lessons}
    assert via_lessons[course.pk].module_title == "Modul Satu"
    assert built == []
