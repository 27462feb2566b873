"""Indonesian stemming in search: the same pages found on SQLite (`make test`, `make run`) and on
PostgreSQL (`DATABASE_URL=postgres://…`), with the same fixture and the same expected results."""

import pytest
from django.core.management import call_command
from django.db import connection
from wagtail.search import index
from wagtail.search.query import Phrase, PlainText

from content.factories import CompetencyFactory
from courses.factories import CourseCompetencyFactory, CoursePageFactory, provider_page_of
from courses.models import CoursePage
from search.catalog import CatalogFilters, catalog_search
from search.matching import highlight
from search.stemming import words_stem


@pytest.fixture
def stemmed_courses(db, provider_a):
    parent = provider_page_of(provider_a)
    service = CoursePageFactory(
        parent=parent, title="Pelayanan Publik Prima", summary="Standar untuk masyarakat."
    )
    teaching = CoursePageFactory(
        parent=parent, title="Pendidikan Karakter", summary="Bagi pengawas dan administrator."
    )
    sustainable = CoursePageFactory(
        parent=parent, title="Perencanaan Daerah", summary="Dokumen perencanaan."
    )
    # "Berkelanjutan" stems to "kelanjut", and "kelanjut" again to "lanjut": a related field
    # stemmed twice would never be found by the word itself.
    CourseCompetencyFactory(
        page=sustainable, competency=CompetencyFactory(code="T.90", name="Berkelanjutan")
    )
    index.insert_or_update_object(sustainable)
    return {"service": service, "teaching": teaching, "sustainable": sustainable}


QUERIES = [
    # Every form of "layan" finds the course titled "Pelayanan".
    ("pelayanan", ["service"]),
    ("melayani", ["service"]),
    ("layanan", ["service"]),
    ("dilayani", ["service"]),
    ("PELAYANAN,", ["service"]),
    ("mendidik", ["teaching"]),
    ("dididik", ["teaching"]),
    ("pendidik", ["teaching"]),
    ("berkelanjutan", ["sustainable"]),
    ("melayani publik", ["service"]),
    ("melayani karakter", []),
    ("layang", []),
]


def _found(query: str, courses: dict) -> set[str]:
    names = {course.pk: name for name, course in courses.items()}
    search = catalog_search(filters=CatalogFilters(query=query, sort="relevance"), page_number=1)
    return {names[result.course.pk] for result in search.results}


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_indonesian_word_forms_find_the_same_courses(stemmed_courses, query, expected):
    assert _found(query, stemmed_courses) == set(expected)


def test_rebuilding_the_index_keeps_the_stems(stemmed_courses):
    call_command("update_index", verbosity=0)
    for query, expected in QUERIES:
        assert _found(query, stemmed_courses) == set(expected), query


def test_phrases_are_stemmed_and_keep_their_order(stemmed_courses):
    live = CoursePage.objects.live()
    assert list(live.search(Phrase("melayani publik"))) == [stemmed_courses["service"]]
    assert list(live.search(Phrase("publik melayani"))) == []


def test_or_queries_stem_each_word(stemmed_courses):
    found = CoursePage.objects.live().search(PlainText("melayani mendidik", operator="or"))
    assert set(found) == {stemmed_courses["service"], stemmed_courses["teaching"]}


def test_suggestions_match_the_words_as_written(stemmed_courses):
    assert list(CoursePage.objects.live().autocomplete("pelay")) == [stemmed_courses["service"]]
    assert list(CoursePage.objects.live().autocomplete("Pendidikan Kara")) == [
        stemmed_courses["teaching"]
    ]


def test_words_stem_replaces_words_in_place():
    assert words_stem("Pelayanan, MELAYANI layanan", language="indonesian") == "layan, layan layan"
    assert words_stem("e-learning covid19 PP17", language="indonesian") == "e-learning covid19 pp17"
    assert words_stem("Pelayanan", language="simple") == "Pelayanan"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="compares with PostgreSQL's stems")
def test_python_stems_are_postgresqls(db):
    words = [
        "pelayanan", "melayani", "layanan", "kepegawaian", "pelatihan", "berkelanjutan",
        "pemberdayaan", "gratifikasi", "melaporkannya", "perencanaan", "kebijakan", "diklat",
        "pengembangan", "kompetensi", "pemerintahan", "aparatur", "sipil", "negara",
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word, (SELECT lexeme FROM unnest(to_tsvector('indonesian', word)))"
            " FROM unnest(%s::text[]) AS word",
            [words],
        )
        postgresql = dict(cursor.fetchall())
    assert {word: words_stem(word, language="indonesian") for word in words} == postgresql


def test_highlight_marks_words_sharing_the_stem():
    html = str(highlight("Cara melayani masyarakat dengan standar pelayanan.", ["layanan"]))
    assert "<mark>melayani</mark>" in html and "<mark>pelayanan</mark>" in html
    assert "<mark>masyarakat</mark>" not in html
