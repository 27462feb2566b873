"""Competencies in the learner's language: under /en/ the course page, the course cards, the
catalog's competency filter and the library show a competency's English translation's name where
it has one, read in the queries that read the competencies (none more, in either language)."""

import pytest
from django.test import Client
from wagtail.models import Locale

from content.factories import CompetencyFactory, ResourcePageFactory
from content.models import Competency, LibrarySectionPage
from courses.factories import CourseCompetencyFactory, course_with_lessons, provider_page_of
from courses.models import CatalogPage
from tests.translation.test_translation import _english, _queries, _url

pytestmark = pytest.mark.django_db

ENGLISH_NAME = "Public service ethics"


def _translate_competency(competency: Competency, name: str) -> Competency:
    """The competency's English translation (what wagtail-localize's snippet editor makes)."""
    english = competency.copy_for_translation(Locale.objects.get(language_code="en"))
    english.name = name
    english.save()
    return english


@pytest.fixture
def competency(course_a):
    competency = course_a.course_competencies.get().competency
    _translate_competency(competency, ENGLISH_NAME)
    return competency


def _catalog_url():
    return _url(CatalogPage.objects.live().get())


def test_the_course_page_shows_the_english_name_under_en_only(competency, course_a):
    english = Client().get(_english(_url(course_a))).content.decode()
    indonesian = Client().get(_url(course_a)).content.decode()

    assert f"<strong>{ENGLISH_NAME}</strong>" in english
    assert competency.name not in english
    assert competency.name in indonesian and ENGLISH_NAME not in indonesian


def test_course_cards_and_the_competency_filter_show_the_english_name_under_en(
    competency, course_a, course_b
):
    untranslated = course_b.course_competencies.get().competency

    english = Client().get(_english(_catalog_url())).content.decode()
    indonesian = Client().get(_catalog_url()).content.decode()

    assert f"{ENGLISH_NAME}, level 2" in english  # the card
    assert f"{competency.code} {ENGLISH_NAME}" in english  # the filter
    assert competency.name not in english
    # Not translated: its Indonesian name in both languages.
    assert untranslated.name in english and untranslated.name in indonesian
    assert ENGLISH_NAME not in indonesian


def test_renaming_the_translation_renews_the_cached_english_course_page(competency, course_a):
    url = _english(_url(course_a))
    assert ENGLISH_NAME in Client().get(url).content.decode()  # now in the cache

    english = Competency.objects.get(
        translation_key=competency.translation_key, locale__language_code="en"
    )
    english.name = "Ethics of public service"
    english.save()

    assert "Ethics of public service" in Client().get(url).content.decode()


def test_the_library_shows_a_resources_competencies_in_english_under_en(
    competency, provider_a, site_tree
):
    resource = ResourcePageFactory(
        parent=LibrarySectionPage.objects.get(organization=provider_a), title="Panduan Etika"
    )
    resource.competencies = [competency]
    resource.save_revision().publish()

    for url in (_url(site_tree["library"]), _url(resource)):
        assert ENGLISH_NAME in Client().get(_english(url)).content.decode()
        indonesian = Client().get(url).content.decode()
        assert competency.name in indonesian and ENGLISH_NAME not in indonesian


def test_english_names_cost_no_query_in_either_language(course_a, provider_a):
    catalog, course = _catalog_url(), _url(course_a)
    before = {url: _queries(url) for url in (catalog, _english(catalog), course, _english(course))}
    _translate_competency(course_a.course_competencies.get().competency, ENGLISH_NAME)
    # More courses, each developing more competencies, all translated.
    for number in range(3):
        more = course_with_lessons(
            provider_page=provider_page_of(provider_a), title=f"Kursus {number}", modules=1
        )
        for _ in range(2):
            extra = CompetencyFactory()
            CourseCompetencyFactory(page=more, competency=extra)
            _translate_competency(extra, f"Translated {extra.code}")
        _translate_competency(more.course_competencies.first().competency, f"Also {number}")

    after = {url: _queries(url) for url in before}

    assert after == before
    assert "Translated " in Client().get(_english(catalog)).content.decode()


def _api_competencies(client, page_id: int, **params) -> list[str]:
    detail = client.get(f"/api/v2/pages/{page_id}/", params)
    assert detail.status_code == 200
    return [item["name"] for item in detail.json()["competencies"]]


def test_the_page_api_names_competencies_in_the_listings_locale(competency, course_a, provider_a):
    from tests.translation.test_translation import _translate

    resource = ResourcePageFactory(
        parent=LibrarySectionPage.objects.get(organization=provider_a), title="Panduan Etika"
    )
    resource.competencies = [competency]
    resource.save_revision().publish()
    english_course = _translate(course_a, "Ethics of Public Service")
    english_resource = _translate(resource, "Ethics guide")
    client = Client()

    for source, english in ((course_a, english_course), (resource, english_resource)):
        # The Indonesian page, in Indonesian; its English translation, in English.
        assert _api_competencies(client, source.pk) == [competency.name]
        assert _api_competencies(client, english.pk, locale="en") == [ENGLISH_NAME]
    listing = client.get(
        "/api/v2/pages/", {"type": "courses.CoursePage", "locale": "en", "fields": "competencies"}
    ).json()
    assert [item["competencies"][0]["name"] for item in listing["items"]] == [ENGLISH_NAME]


def test_the_page_api_reads_competency_names_in_the_same_queries_however_many(course_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.translation.test_translation import _translate

    english = _translate(course_a, "Ethics of Public Service")

    def queries() -> tuple[int, int]:
        counts = []
        for page, params in ((course_a, {}), (english, {"locale": "en"})):
            client = Client()
            client.get(f"/api/v2/pages/{page.pk}/", params)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(f"/api/v2/pages/{page.pk}/", params).status_code == 200
            counts.append(len(captured))
        return tuple(counts)

    before = queries()
    for page in (course_a, english):
        for _ in range(3):
            extra = CompetencyFactory()
            CourseCompetencyFactory(page=page, competency=extra)
            _translate_competency(extra, f"Translated {extra.code}")
    after = queries()

    assert after == before
    # The English page's competencies by their English names, in the query that reads them;
    # `?locale=en` costs Wagtail's look-up of that locale.
    assert before[1] == before[0] + 1
