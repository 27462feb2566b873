"""Demo data for search: synonyms for the abbreviations civil servants type, a few weeks of
searches (some that found nothing, so the search-terms report and the needs report's "searched
but not found" show data) and one promoted result.

Content only (no accounts). Idempotent: synonyms are looked up by term (ignoring case), the
searches are seeded only while the log is empty, the promotion by query and page.
"""

from datetime import timedelta

from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from courses.models import CoursePage
from search.models import SearchSynonym, SearchTermDaily

SYNONYMS = [
    ("SKP", "sasaran kinerja pegawai"),
    ("ASN", "aparatur sipil negara"),
    ("bimtek", "bimbingan teknis"),
    ("SPBE", "sistem pemerintahan berbasis elektronik"),
    ("PNS", "pegawai negeri sipil"),
    ("PPPK", "pegawai pemerintah dengan perjanjian kerja"),
    ("JP", "jam pelajaran"),
    ("diklat", "pendidikan dan pelatihan, pelatihan"),
]

# (query, scope, searches a day, whether they found something, on how many of the last 28 days)
SEARCHES = [
    ("pelayanan publik", "catalog", 6, True, 28),
    ("antikorupsi", "catalog", 3, True, 20),
    ("skp", "site", 4, True, 24),
    ("literasi data", "catalog", 2, True, 14),
    ("kepemimpinan", "catalog", 3, True, 10),
    ("coaching", "catalog", 2, True, 10),
    ("sertifikasi pengadaan barang jasa", "catalog", 2, False, 18),
    ("bahasa isyarat pelayanan", "catalog", 1, False, 12),
    ("manajemen arsip elektronik", "site", 1, False, 9),
    ("penyusunan anggaran daerah", "catalog", 1, False, 6),
]

PROMOTION_QUERY = "antikorupsi"
PROMOTED_COURSE = "integritas-dan-antikorupsi-asn"


def seed_search(report) -> None:
    """Synonyms, a search log and a promotion; `report` is the seed's `SeedReport`."""
    for term, expansions in SYNONYMS:
        if not SearchSynonym.objects.filter(term__iexact=term).exists():
            synonym = SearchSynonym(term=term, expansions=expansions)
            synonym.full_clean()
            synonym.save()
            report.add("search synonyms")

    if not SearchTermDaily.objects.exists():
        today = timezone.localdate()
        rows = [
            SearchTermDaily(
                query=query,
                scope=scope,
                date=today - timedelta(days=offset),
                searches=searches + offset % 3,
                zero_results=0 if found else searches + offset % 3,
            )
            for query, scope, searches, found, days in SEARCHES
            for offset in range(0, 28, max(1, 28 // days))[:days]
        ]
        SearchTermDaily.objects.bulk_create(rows)
        report.add("search term days", len(rows))

    course = CoursePage.objects.filter(slug=PROMOTED_COURSE).first()
    if course is not None:
        query, _created = Query.objects.get_or_create(query_string=PROMOTION_QUERY)
        _promotion, created = SearchPromotion.objects.get_or_create(
            query=query,
            page_id=course.pk,
            defaults={
                "sort_order": 0,
                "description": "Pelatihan wajib integritas bagi seluruh ASN.",
            },
        )
        if created:
            report.add("search promotions")
