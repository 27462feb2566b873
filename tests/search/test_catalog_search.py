"""Catalog search: Indonesian queries, filters with counts that agree with the database, only
live and public pages, lesson matches, highlighting, suggestions, and bounded queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from content.factories import CompetencyFactory
from courses.factories import (
    CourseCompetencyFactory,
    CoursePageFactory,
    LessonPageFactory,
    ModulePageFactory,
    provider_page_of,
)
from learners.factories import UserFactory
from learners.services import enrollment_create
from search import catalog
from search.catalog import CatalogFilters, catalog_search
from search.matching import highlight

pytestmark = pytest.mark.django_db


def _ids(search):
    return [result.course.pk for result in search.results]


def _search(**fields):
    return catalog_search(filters=CatalogFilters(**fields), page_number=1)


@pytest.fixture
def catalog_courses(provider_a, provider_b):
    service = CoursePageFactory(
        parent=provider_page_of(provider_a),
        title="Pelayanan Publik Prima",
        summary="Cara melayani masyarakat dengan standar pelayanan.",
        jp=Decimal("12"),
        level="menengah",
    )
    data = CoursePageFactory(
        parent=provider_page_of(provider_b),
        title="Analisis Data untuk ASN",
        summary="Membaca dan menyajikan data.",
        jp=Decimal("4"),
        learning_mode="distance_training",
    )
    english = CoursePageFactory(
        parent=provider_page_of(provider_b),
        title="Writing Policy Briefs",
        summary="Short policy documents in English.",
        jp=Decimal("20"),
        language="en",
    )
    communication = CompetencyFactory(code="S.01", name="Komunikasi", kind="sociocultural")
    CourseCompetencyFactory(page=service, competency=communication, target_level=3)
    CourseCompetencyFactory(page=data, target_level=2)
    module = ModulePageFactory(parent=data, title="Modul Integritas Data")
    LessonPageFactory(
        parent=module,
        title="Menolak gratifikasi",
        body=[{"type": "paragraph", "value": "<p>Laporkan setiap gratifikasi kepada KPK.</p>"}],
    )
    return {"service": service, "data": data, "english": english, "communication": communication}


def test_indonesian_query_finds_the_course(catalog_courses):
    assert _ids(_search(query="pelayanan", sort="relevance"))[0] == catalog_courses["service"].pk


def test_stemmed_forms_find_each_other(catalog_courses):
    # On SQLite as on PostgreSQL (tests/search/test_stemming.py has more forms).
    for word in ("melayani", "layanan", "pelayanan"):
        assert catalog_courses["service"].pk in _ids(_search(query=word, sort="relevance")), word


def test_a_lesson_match_shows_its_course_and_module(catalog_courses):
    search = _search(query="gratifikasi", sort="relevance")
    [result] = search.results
    assert result.course == catalog_courses["data"]
    assert result.lesson_match.lesson_title == "Menolak gratifikasi"
    assert result.lesson_match.module_title == "Modul Integritas Data"


def test_filters_combine_and_counts_agree_with_the_database(catalog_courses, provider_b):
    search = _search(provider=[provider_b.pk])
    assert sorted(_ids(search)) == sorted(
        [catalog_courses["data"].pk, catalog_courses["english"].pk]
    )
    facets = {facet.name: facet for facet in search.facets}
    # A facet's own filter does not narrow its counts; every other filter does.
    providers = {option.label: option.count for option in facets["provider"].options}
    assert providers == {"Kementerian B": 2, "Lembaga Pelatihan A": 1}
    languages = {option.value: option.count for option in facets["language"].options}
    assert languages == {"id": 1, "en": 1}
    both = _search(provider=[provider_b.pk], language=["en"])
    assert _ids(both) == [catalog_courses["english"].pk]
    jp = {o.value: o.count for o in {f.name: f for f in _search().facets}["jp"].options}
    assert jp == {"0-4": 1, "10-19": 1, "20+": 1}
    kinds = {f.name: f for f in _search(kind=["sociocultural"]).facets}
    assert _ids(_search(kind=["sociocultural"])) == [catalog_courses["service"].pk]
    assert {o.value for o in kinds["competency"].options} >= {
        str(catalog_courses["communication"].pk)
    }


def test_sorting(catalog_courses):
    by_jp = _ids(_search(sort="jp"))
    assert by_jp == [
        catalog_courses["data"].pk,
        catalog_courses["service"].pk,
        catalog_courses["english"].pk,
    ]
    assert _ids(_search(sort="-jp")) == list(reversed(by_jp))


def test_unpublished_and_private_pages_never_appear(catalog_courses, site_tree):
    catalog_courses["service"].unpublish()
    PageViewRestriction.objects.create(
        page=catalog_courses["data"], restriction_type=PageViewRestriction.LOGIN
    )
    for query in ("pelayanan", "data", "gratifikasi"):
        search = _search(query=query, sort="relevance")
        assert search.total == 0, query
        assert all(o.count == 0 for f in search.facets for o in f.options if not o.selected)
    assert [r.course for r in _search().results] == [catalog_courses["english"]]


def test_publishing_a_lesson_edit_updates_its_course_results(catalog_courses):
    assert _search(query="whistleblowing", sort="relevance").total == 0
    lesson = (
        catalog_courses["data"]
        .get_descendants()
        .type(LessonPageFactory._meta.model)
        .specific()
        .get()
    )
    lesson.body = [{"type": "paragraph", "value": "<p>Gunakan whistleblowing system.</p>"}]
    lesson.save_revision().publish()
    # The index update runs through the task backend (immediate in tests, the worker in
    # production).
    assert _ids(_search(query="whistleblowing", sort="relevance")) == [catalog_courses["data"].pk]


def test_results_show_the_learners_status(catalog_courses):
    learner = UserFactory()
    enrollment_create(user=learner, course=catalog_courses["service"])
    search = catalog_search(
        filters=CatalogFilters(query="pelayanan", sort="relevance"), page_number=1, user=learner
    )
    assert search.results[0].enrollment_status == "active"


def test_highlight_marks_words_and_escapes_everything_else():
    text = 'Standar <script>alert("x")</script> pelayanan publik & "layanan"'
    html = str(highlight(text, ["layanan"]))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<mark>pelayanan</mark>" in html and "<mark>layanan</mark>" in html
    assert "&amp;" in html


def test_snippets_keep_a_space_between_paragraphs_and_list_items(provider_a):
    CoursePageFactory(
        parent=provider_page_of(provider_a),
        title="Integritas ASN",
        summary="Dasar antikorupsi.",
        description=(
            "<p>Kenali gratifikasi dan kewajiban melaporkannya.</p>"
            "<p>Setelah pelatihan, peserta mampu:</p>"
            "<ul><li>menjelaskan nilai;</li><li>menyusun langkah.</li></ul>"
        ),
    )
    [result] = _search(query="gratifikasi", sort="relevance").results
    assert str(result.snippet) == (
        "Dasar antikorupsi. Kenali <mark>gratifikasi</mark> dan kewajiban melaporkannya. "
        "Setelah pelatihan, peserta mampu: menjelaskan nilai; menyusun langkah."
    )


def test_highlight_windows_long_text():
    text = "awal " * 100 + "kata kunci pelayanan" + " akhir" * 100
    html = str(highlight(text, ["pelayanan"], length=80))
    assert html.startswith("… ") and html.endswith(" …") and "<mark>pelayanan</mark>" in html


def test_catalog_page_and_site_search_pages(client, catalog_courses, site_tree):
    catalog_url = site_tree["catalog"].url
    response = client.get(catalog_url, {"q": "pelayanan"})
    assert response.status_code == 200
    assert "<mark>pelayanan</mark>" in response.text.lower()
    response = client.get(catalog_url, {"provider": "not-a-number", "jp": "bogus", "sort": "x"})
    assert response.status_code == 200
    response = client.get("/cari/", {"q": "gratifikasi"})
    assert response.status_code == 200
    assert "Analisis Data untuk ASN" in response.text


def test_suggestions_are_small_json_of_live_titles(client, catalog_courses):
    catalog_courses["english"].unpublish()
    body = client.get("/cari/saran/", {"q": "pela"}).json()
    assert [item["title"] for item in body["results"]] == ["Pelayanan Publik Prima"]
    assert client.get("/cari/saran/", {"q": "writ"}).json()["results"] == []
    assert client.get("/cari/saran/", {"q": "p"}).json()["results"] == []


def test_query_count_does_not_grow_with_results_per_page(
    client, provider_a, site_tree, monkeypatch
):
    parent = provider_page_of(provider_a)
    for number in range(50):
        course = CoursePageFactory(parent=parent, title=f"Pelayanan Publik {number}")
        CourseCompetencyFactory(page=course)
    url = site_tree["catalog"].url

    def queries(per_page):
        monkeypatch.setattr(catalog, "RESULTS_PER_PAGE", per_page)
        counts = []
        for params in ({}, {"q": "pelayanan"}, {"q": "pelayanan", "sort": "jp", "level": "dasar"}):
            client.get(url, params)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url, {**params, "page": "1"})
            assert response.status_code == 200
            assert (
                response.text.count('class="card"') + response.text.count('class="result"')
                == per_page
            )
            counts.append(len(captured))
        return counts

    assert queries(5) == queries(50)


def test_searches_are_logged_with_their_zero_results(client, catalog_courses, site_tree):
    from search.models import SearchTermDaily

    url = site_tree["catalog"].url
    client.get(url, {"q": "Sertifikasi  Pengadaan"})
    client.get(url, {"q": "sertifikasi pengadaan"})
    client.get(url, {"q": "pelayanan"})
    client.get(url, {"q": "pelayanan", "page": "2"})  # paging is not a new search
    client.get("/cari/", {"q": "pelayanan"})
    missing = SearchTermDaily.objects.get(query="sertifikasi pengadaan", scope="catalog")
    assert (missing.searches, missing.zero_results) == (2, 2)
    found = SearchTermDaily.objects.get(query="pelayanan", scope="catalog")
    assert (found.searches, found.zero_results) == (1, 0)
    assert SearchTermDaily.objects.get(query="pelayanan", scope="site").searches == 1


def test_editors_promotions_come_first_and_only_when_live(client, catalog_courses, site_tree):
    from wagtail.contrib.search_promotions.models import Query, SearchPromotion

    query = Query.get("antikorupsi")
    SearchPromotion.objects.create(
        query=query, page=catalog_courses["service"], sort_order=0, description="Pilihan editor"
    )
    url = site_tree["catalog"].url
    assert "Pilihan editor" in client.get(url, {"q": "antikorupsi"}).text
    catalog_courses["service"].unpublish()
    assert "Pilihan editor" not in client.get(url, {"q": "antikorupsi"}).text


def test_moderators_manage_promotions_and_synonyms(client_for, moderator_a, editor_a):
    from django.urls import reverse

    from search.models import SearchSynonym

    urls = [
        reverse("wagtailsearchpromotions:index"),
        reverse(SearchSynonym.snippet_viewset.get_url_name("list")),
    ]
    for url in urls:
        assert client_for(moderator_a).get(url).status_code == 200, url
        assert client_for(editor_a).get(url).status_code in (302, 403), url


def _most_parameters(function) -> int:
    """The most parameters any one statement of `function` was sent with."""
    counts = []

    def record(execute, sql, params, many, context):
        counts.append(len(params or ()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        function()
    return max(counts)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's array parameter")
def test_the_matched_courses_are_sent_as_one_parameter_however_many(provider_a):
    """Each of the page's queries names the courses the words matched: thousands at size L,
    sent as one array on PostgreSQL rather than one placeholder each."""
    parent = provider_page_of(provider_a)

    made = []

    def courses(count):
        for _ in range(count):
            made.append(CoursePageFactory(parent=parent, title=f"Pelayanan Publik {len(made)}").pk)
        return list(made)

    courses(2)
    few = _most_parameters(lambda: _search(query="pelayanan"))
    more = courses(30)
    many = _most_parameters(lambda: _search(query="pelayanan"))
    assert many == few
    assert sorted(_search(query="pelayanan").page_obj.paginator.object_list) == sorted(more)
