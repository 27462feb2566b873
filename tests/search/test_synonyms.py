"""Synonyms are an editable snippet: validated, and expanding a query in both directions."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learners.factories import UserFactory
from search.models import SearchSynonym
from search.synonyms import MAX_EXPANSIONS, query_expansions

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_interface")]


def synonym(term: str, expansions: str) -> SearchSynonym:
    item = SearchSynonym(term=term, expansions=expansions)
    item.full_clean()
    item.save()
    return item


@pytest.fixture
def superuser():
    return UserFactory(email="admin@lentera.go.id", is_superuser=True, is_staff=True)


@pytest.fixture
def synonyms():
    synonym("SKP", "sasaran kinerja pegawai")
    synonym("bimtek", "bimbingan teknis")
    synonym("diklat", "pendidikan dan pelatihan, pelatihan")


def test_a_term_expands_to_its_phrases(synonyms):
    assert query_expansions("penyusunan SKP") == [
        "penyusunan SKP",
        "penyusunan sasaran kinerja pegawai",
    ]


def test_a_phrase_expands_back_to_its_term_ignoring_case(synonyms):
    assert query_expansions("Penyusunan  Sasaran Kinerja   Pegawai ") == [
        "Penyusunan Sasaran Kinerja Pegawai",
        "Penyusunan SKP",
    ]


def test_the_longest_phrase_wins_over_a_shorter_one_inside_it(synonyms):
    assert query_expansions("pendidikan dan pelatihan kepemimpinan") == [
        "pendidikan dan pelatihan kepemimpinan",
        "diklat kepemimpinan",
    ]
    assert query_expansions("diklat kepemimpinan") == [
        "diklat kepemimpinan",
        "pendidikan dan pelatihan kepemimpinan",
        "pelatihan kepemimpinan",
    ]


def test_only_whole_words_match(synonyms):
    assert query_expansions("skpd bimteknis") == ["skpd bimteknis"]


def test_each_term_of_a_query_is_replaced_in_turn(synonyms):
    assert query_expansions("bimtek skp") == [
        "bimtek skp",
        "bimbingan teknis skp",
        "bimtek sasaran kinerja pegawai",
    ]


def test_expansions_are_bounded(synonyms):
    for number in range(12):
        synonym(f"singkatan{number}", f"kepanjangan {number}")
    query = " ".join(f"singkatan{number}" for number in range(12))
    phrasings = query_expansions(query)
    assert len(phrasings) == MAX_EXPANSIONS
    assert phrasings[0] == query


def test_without_synonyms_the_query_is_its_only_phrasing():
    assert query_expansions("analisis kebijakan") == ["analisis kebijakan"]
    assert query_expansions("   ") == []


def test_an_edit_applies_at_once_with_one_query(synonyms):
    with CaptureQueriesContext(connection) as queries:
        assert query_expansions("SPBE") == ["SPBE"]
    assert len(queries) == 1
    synonym("SPBE", "sistem pemerintahan berbasis elektronik")
    assert query_expansions("SPBE") == ["SPBE", "sistem pemerintahan berbasis elektronik"]


# Validation


def _errors(term: str, expansions: str) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        SearchSynonym(term=term, expansions=expansions).full_clean()
    return caught.value.message_dict


def test_the_term_and_a_phrase_are_required():
    errors = _errors("   ", " , ")
    assert "term" in errors
    assert errors["expansions"] == ["Enter at least one phrase that means the same."]


def test_an_empty_phrase_between_commas_is_refused():
    assert _errors("ASN", "aparatur sipil negara,, pegawai ASN")["expansions"] == [
        "Phrase 2 is empty: remove the extra comma."
    ]
    assert "expansions" in _errors("ASN", "aparatur sipil negara,")


def test_a_phrase_repeating_the_term_or_another_phrase_is_refused():
    assert "is the term itself" in _errors("ASN", "asn")["expansions"][0]
    assert (
        "listed twice"
        in _errors("ASN", "aparatur sipil negara, Aparatur Sipil Negara")["expansions"][0]
    )


def test_terms_are_unique_ignoring_case(synonyms):
    assert _errors("skp", "sasaran kerja pegawai")["__all__"] == [
        "This term already has synonyms (terms are compared ignoring case): add the phrases there."
    ]


def test_clean_tidies_whitespace():
    item = synonym("  JP ", " jam   pelajaran ,jam latihan")
    assert (item.term, item.expansions) == ("JP", "jam pelajaran, jam latihan")
    assert item.expansion_list == ["jam pelajaran", "jam latihan"]


# The snippet in the admin


def test_superusers_manage_synonyms_in_the_admin(client_for, superuser):
    client = client_for(superuser)
    listing = client.get("/admin/snippets/search/searchsynonym/")
    assert listing.status_code == 200
    response = client.post(
        "/admin/snippets/search/searchsynonym/add/",
        {"term": "SPBE", "expansions": "sistem pemerintahan berbasis elektronik"},
    )
    assert response.status_code == 302
    duplicate = client.post(
        "/admin/snippets/search/searchsynonym/add/",
        {"term": "spbe", "expansions": "e-government"},
    )
    assert duplicate.status_code == 200
    assert "This term already has synonyms" in duplicate.content.decode()
    assert SearchSynonym.objects.count() == 1
    found = client.get("/admin/snippets/search/searchsynonym/?q=pemerintahan")
    assert "SPBE" in found.content.decode()


def test_synonyms_are_under_settings_next_to_promoted_results(client_for, superuser):
    page = client_for(superuser).get("/admin/").content.decode()
    assert "/admin/snippets/search/searchsynonym/" in page
    assert "/admin/searchpicks/" in page


def test_editors_need_the_model_permission(client_for, editor_a):
    client = client_for(editor_a)
    assert client.get("/admin/snippets/search/searchsynonym/").status_code in (302, 403)
    editor_a.user_permissions.add(
        Permission.objects.get(codename="change_searchsynonym"),
        Permission.objects.get(codename="add_searchsynonym"),
    )
    assert client.get("/admin/snippets/search/searchsynonym/").status_code == 200
