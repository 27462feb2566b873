"""Every search box cleans what is typed in one place (`search.matching.search_query_clean`):
the site search, the catalog, the title suggestions and the content API's `?search=` drop the
same double quotes and keep the same first words, so the same words are searched everywhere.
"""

import pytest

from courses.factories import CoursePageFactory, provider_page_of
from search.matching import MAX_QUERY_WORDS, search_query_clean

pytestmark = pytest.mark.django_db

# Words that match no course: only the words after them could.
FILLER = " ".join(f"zq{n}" for n in range(MAX_QUERY_WORDS))


@pytest.fixture
def course(provider_a):
    return CoursePageFactory(
        parent=provider_page_of(provider_a),
        title="Pelayanan Publik Prima",
        summary="Cara melayani masyarakat dengan standar pelayanan.",
    )


def found_by_each_caller(client, site_tree, query: str) -> dict[str, bool]:
    """Whether each search box finds the course "Pelayanan Publik Prima" for `query`."""
    site = client.get("/cari/", {"q": query})
    catalog = client.get(site_tree["catalog"].url, {"q": query})
    suggestions = client.get("/cari/saran/", {"q": query})
    api = client.get(
        "/api/v2/pages/", {"type": "courses.CoursePage", "search": query, "search_operator": "or"}
    )
    for response in (site, catalog, suggestions, api):
        assert response.status_code == 200, (response.request["PATH_INFO"], response.content)
    return {
        "site search": "Pelayanan Publik Prima" in site.content.decode(),
        "catalog": "Pelayanan Publik Prima" in catalog.content.decode(),
        "suggestions": [row["title"] for row in suggestions.json()["results"]]
        == ["Pelayanan Publik Prima"],
        "content API": [row["title"] for row in api.json()["items"]] == ["Pelayanan Publik Prima"],
    }


def test_the_cleaning():
    assert search_query_clean('  "pelayanan"  pub"lik ') == "pelayanan pub lik"
    assert search_query_clean(f"{FILLER} pelayanan") == FILLER


def test_quotes_are_dropped_by_every_caller(client, site_tree, course):
    found = found_by_each_caller(client, site_tree, '"pelayanan" "publik')
    assert found == dict.fromkeys(found, True), found


def test_every_caller_searches_the_same_first_words(client, site_tree, course):
    # A word past the limit is searched by none of them (it was by the content API).
    found = found_by_each_caller(client, site_tree, f"{FILLER} pelayanan")
    assert found == dict.fromkeys(found, False), found
