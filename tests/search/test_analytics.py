"""Search analytics: every search is counted per query, day and scope with its zero results;
editors read the search-terms report in the admin and the needs report's "searched but not
found"; promoted results only ever return live, public pages."""

import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction

from courses.factories import course_with_lessons, provider_page_of
from demo.builders import SeedReport
from demo.search import seed_search
from learners.factories import UserFactory
from search.models import SearchSynonym, SearchTermDaily
from search.services import (
    promoted_pages,
    search_period_start,
    search_record,
    search_terms_frequent,
    search_terms_not_found,
)
from tests.evaluation.test_xss import PAYLOADS, assert_harmless
from tests.utils import csv_download

pytestmark = pytest.mark.django_db

REPORT = "/admin/pencarian/istilah/"


@pytest.fixture
def superuser(db):
    return UserFactory(email="admin@lentera.go.id", is_superuser=True, is_staff=True)


@pytest.fixture
def hr_a(provider_a):
    return UserFactory(
        email="sdm@lpa.go.id", full_name="SDM A", organization=provider_a, admin_of=provider_a
    )


def day(query: str, *, days_ago: int = 0, scope: str = "catalog", searches=1, zero=0):
    return SearchTermDaily.objects.create(
        query=query,
        date=timezone.localdate() - timedelta(days=days_ago),
        scope=scope,
        searches=searches,
        zero_results=zero,
    )


# Recording


def test_searches_are_counted_per_normalised_query_day_and_scope():
    search_record(query="  Pelayanan   PUBLIK ", results=12, scope="catalog")
    search_record(query="pelayanan publik", results=0, scope="catalog")
    search_record(query="pelayanan publik", results=3, scope="site")
    catalog = SearchTermDaily.objects.get(query="pelayanan publik", scope="catalog")
    assert (catalog.date, catalog.searches, catalog.zero_results) == (
        timezone.localdate(),
        2,
        1,
    )
    site = SearchTermDaily.objects.get(query="pelayanan publik", scope="site")
    assert (site.searches, site.zero_results) == (1, 0)


def test_blank_queries_and_personal_data_are_not_recorded():
    for query in ("", "   ", "199003212015032004", "dewi@instansi.go.id"):
        search_record(query=query, results=0, scope="site")
    assert not SearchTermDaily.objects.exists()


def test_long_queries_are_cut_to_255_characters():
    search_record(query="a" * 300, results=0, scope="site")
    assert SearchTermDaily.objects.get().query == "a" * 255


def test_an_unknown_scope_or_negative_count_is_a_programming_error():
    with pytest.raises(ValueError):
        search_record(query="skp", results=1, scope="library")
    with pytest.raises(ValueError):
        search_record(query="skp", results=-1, scope="site")


def test_a_repeated_search_costs_one_query():
    search_record(query="skp", results=1, scope="site")
    with CaptureQueriesContext(connection) as queries:
        search_record(query="skp", results=1, scope="site")
    assert len(queries) == 1


def test_losing_the_race_to_create_the_days_row_still_counts_the_search():
    """Another request inserted the row between our UPDATE (0 rows) and our INSERT."""
    day("bimtek", searches=4, zero=1)
    real_update = QuerySet.update
    calls = []

    def update(queryset, **kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            return 0  # the row did not exist yet when we looked
        return real_update(queryset, **kwargs)

    with mock.patch.object(QuerySet, "update", update):
        search_record(query="bimtek", results=0, scope="catalog")
    assert len(calls) == 2
    row = SearchTermDaily.objects.get()  # still usable after the refused INSERT
    assert (row.searches, row.zero_results) == (5, 2)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("concurrent_database")
def test_simultaneous_first_searches_of_the_day_are_all_counted():
    """Twelve threads, each on its own connection, search at once. Each search's UPDATE runs
    outside a transaction, so several may find no row and try to INSERT it: the unique
    constraint refuses all but one, and the others' second UPDATE counts them. Left to timing,
    SQLite's one write lock and its busy wait mostly let a search UPDATE and INSERT before the
    others look; the next test forces that interleaving on both databases."""
    start = threading.Barrier(12)
    errors = []

    def search(number: int):
        try:
            start.wait()
            search_record(query="Serentak", results=number % 2, scope="catalog")
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=search, args=(number,)) for number in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    row = SearchTermDaily.objects.get(query="serentak")
    assert (row.searches, row.zero_results) == (12, 6)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("concurrent_database")
def test_first_searches_that_all_find_no_row_are_all_counted():
    """The worst interleaving, forced: every thread's UPDATE has found no row before any
    INSERT runs. One INSERT wins; the constraint refuses the other eleven on their own
    connections, and their second UPDATE counts them."""
    threads_count = 12
    looked = threading.Barrier(threads_count, timeout=10)
    real_update = QuerySet.update
    first = threading.local()

    def update(queryset, **kwargs):
        rows = real_update(queryset, **kwargs)
        if not getattr(first, "done", False):
            first.done = True
            looked.wait()
        return rows

    errors = []

    def search(number: int):
        try:
            search_record(query="Kosong", results=number % 3, scope="catalog")
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=search, args=(n,)) for n in range(threads_count)]
    with mock.patch.object(QuerySet, "update", update):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    row = SearchTermDaily.objects.get(query="kosong")
    assert (row.searches, row.zero_results) == (12, 4)


# Reading


def test_terms_are_grouped_over_the_period_most_frequent_first():
    day("skp", searches=5)
    day("skp", days_ago=3, searches=4, scope="site")
    day("sertifikasi pengadaan barang jasa", searches=2, zero=2)
    day("sertifikasi pengadaan barang jasa", days_ago=6, searches=3, zero=3)
    day("bahasa isyarat", searches=1, zero=1)
    day("bahasa isyarat", days_ago=7, searches=9, zero=9)  # before the last 7 days
    since = search_period_start(days=7)
    assert [
        (r["query"], r["searched"], r["not_found"]) for r in search_terms_frequent(since=since)
    ] == [
        ("skp", 9, 0),
        ("sertifikasi pengadaan barang jasa", 5, 5),
        ("bahasa isyarat", 1, 1),
    ]
    assert [r["query"] for r in search_terms_not_found(since=since)] == [
        "sertifikasi pengadaan barang jasa",
        "bahasa isyarat",
    ]
    assert [r["query"] for r in search_terms_frequent(since=since, scope="site")] == ["skp"]
    assert search_terms_not_found(since=search_period_start(days=30))[0]["not_found"] == 10


# The admin report


@pytest.fixture
def searches():
    day("pelayanan publik", searches=7)
    day("sertifikasi pengadaan barang jasa", days_ago=2, searches=3, zero=3)
    day("bahasa isyarat pelayanan", days_ago=40, searches=2, zero=2)


def test_superusers_and_editors_read_the_report(searches, superuser, editor_a, client_for):
    for user in (superuser, editor_a):
        response = client_for(user).get(REPORT)
        assert response.status_code == 200
        frequent = [row["query"] for row in response.context["frequent"]]
        assert frequent == ["pelayanan publik", "sertifikasi pengadaan barang jasa"]
        assert [row["query"] for row in response.context["not_found"]] == [
            "sertifikasi pengadaan barang jasa"
        ]
        assert "bahasa isyarat pelayanan" not in response.content.decode()  # 40 days ago
    longer = client_for(editor_a).get(REPORT, {"days": "90"})
    assert [row["query"] for row in longer.context["not_found"]] == [
        "sertifikasi pengadaan barang jasa",
        "bahasa isyarat pelayanan",
    ]


def test_learners_and_organization_admins_cannot_read_the_report(searches, hr_a, client_for):
    learner = UserFactory(email="peserta@instansi.go.id")
    assert client_for(learner).get(REPORT).status_code in (302, 403)
    assert client_for(hr_a).get(REPORT).status_code in (302, 403)


def test_the_report_is_in_the_reports_menu_instead_of_wagtails(superuser, editor_a, client_for):
    for user in (superuser, editor_a):
        page = client_for(user).get("/admin/").content.decode()
        assert REPORT in page
        assert "/admin/searchpicks/searchterms/" not in page


def test_the_report_exports_every_query_to_csv(searches, editor_a, client_for):
    for number in range(60):
        day(f"=topik {number}", days_ago=1)
    response = client_for(editor_a).get(REPORT, {"days": "7", "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = [",".join(row) for row in csv_download(response, as_shown=False)]
    assert len(lines) == 1 + 2 + 60  # more than the 50 shown
    assert lines[1] == f"pelayanan publik,7,0,{timezone.localdate().isoformat()}"
    assert lines[2].startswith("sertifikasi pengadaan barang jasa,3,3,")
    assert all(line.startswith("'=topik") for line in lines[3:])  # no formulas


def test_the_report_escapes_queries(superuser, hr_a, client_for):
    for payload in PAYLOADS:
        search_record(query=payload, results=0, scope="site")
    shown = [" ".join(payload.split()).lower() for payload in PAYLOADS]
    admin = client_for(superuser).get(REPORT, {"days": "7"}).content.decode()
    assert_harmless(admin, shows=shown, admin=True)
    needs = client_for(hr_a).get("/saya/kebutuhan/laporan/").content.decode()
    top = search_terms_not_found(since=search_period_start(days=90))[:10]
    assert_harmless(needs, shows=[row["query"] for row in top])


# The needs report's demand signal


def test_the_needs_report_shows_what_was_searched_but_not_found(
    searches, hr_a, editor_a, client_for
):
    day("pelayanan publik", days_ago=100, searches=5, zero=5)  # older than 90 days
    for page in (
        client_for(hr_a).get("/saya/kebutuhan/laporan/"),
        client_for(editor_a).get("/admin/evaluasi/kebutuhan/"),
    ):
        assert page.status_code == 200
        html = page.content.decode()
        assert 'id="searched-not-found-title"' in html
        section = html.split('id="searched-not-found-title"')[1].split("</section>")[0]
        assert section.index("sertifikasi pengadaan barang jasa") < section.index(
            "bahasa isyarat pelayanan"
        )
        assert "pelayanan publik" not in section


# Promoted results


@pytest.fixture
def promoted(provider_a):
    section = provider_page_of(provider_a)
    first = course_with_lessons(provider_page=section, title="Integritas ASN", modules=1)
    second = course_with_lessons(provider_page=section, title="Budaya Antikorupsi", modules=1)
    draft = course_with_lessons(provider_page=section, title="Kursus Draf", modules=1)
    draft.unpublish()
    private = course_with_lessons(provider_page=section, title="Kursus Internal", modules=1)
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    query = Query.objects.create(query_string="antikorupsi")
    for order, page in enumerate([second, draft, private, first]):
        SearchPromotion.objects.create(
            query=query, page=page, sort_order=order, description=f"Pilihan {order}"
        )
    SearchPromotion.objects.create(
        query=query, external_link_url="https://aclc.kpk.go.id/", external_link_text="ACLC KPK"
    )
    return {"first": first, "second": second}


def test_promoted_pages_are_the_live_public_ones_in_the_editors_order(promoted):
    with CaptureQueriesContext(connection) as queries:
        pages = promoted_pages("  AntiKorupsi ")
    assert len(queries) <= 2
    assert [page.pk for page in pages] == [promoted["second"].pk, promoted["first"].pk]
    assert [page.promotion_description for page in pages] == ["Pilihan 0", "Pilihan 3"]


def test_reading_promotions_creates_no_query_rows(promoted):
    assert promoted_pages("etika") == []
    assert promoted_pages("") == []
    assert list(Query.objects.values_list("query_string", flat=True)) == ["antikorupsi"]


# Demo


def test_the_demo_seeds_synonyms_searches_and_a_promotion_once(provider_a):
    course = course_with_lessons(
        provider_page=provider_page_of(provider_a),
        title="Integritas dan Antikorupsi ASN",
        slug="integritas-dan-antikorupsi-asn",
        modules=1,
    )
    report = SeedReport()
    seed_search(report)
    assert report.created["search synonyms"] == 8
    assert report.created["search promotions"] == 1
    keys = {
        model: sorted(model.objects.values_list("pk", flat=True))
        for model in (SearchSynonym, SearchTermDaily, SearchPromotion, Query)
    }
    again = SeedReport()
    seed_search(again)
    assert again.created == {}
    assert keys == {model: sorted(model.objects.values_list("pk", flat=True)) for model in keys}
    assert [page.pk for page in promoted_pages("antikorupsi")] == [course.pk]
    not_found = [row["query"] for row in search_terms_not_found(since=search_period_start(days=90))]
    assert "sertifikasi pengadaan barang jasa" in not_found
    assert "bahasa isyarat pelayanan" in not_found
