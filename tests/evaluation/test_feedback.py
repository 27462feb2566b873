"""Public feedback on service units: an open page with a honeypot and a per-client rate limit,
aspects mapped to competencies, and the editors' service units and aspects in the admin."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from content.factories import CompetencyFactory
from evaluation.models import FeedbackAspect, PublicFeedback, ServiceUnit
from evaluation.services import FEEDBACK_LIMIT

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    # The rate limit counts in the cache; each test starts with none counted.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def unit(provider_a):
    return ServiceUnit.objects.create(
        organization=provider_a, name="Loket Perizinan Terpadu", slug="loket-perizinan"
    )


@pytest.fixture
def aspects(provider_a, provider_b):
    friendliness = FeedbackAspect.objects.create(name="Keramahan petugas")
    friendliness.competencies.set([CompetencyFactory(code="M.95", name="Pelayanan Publik")])
    clarity = FeedbackAspect.objects.create(organization=provider_a, name="Kejelasan informasi")
    elsewhere = FeedbackAspect.objects.create(organization=provider_b, name="Aspek instansi lain")
    return {"friendliness": friendliness, "clarity": clarity, "elsewhere": elsewhere}


URL = "/umpan-balik/loket-perizinan/"


def post(client, data, ip="203.0.113.7"):
    return client.post(URL, data, REMOTE_ADDR=ip)


def test_anyone_rates_a_unit_without_signing_in(unit, aspects, client):
    page = client.get(URL).content.decode()
    assert "Loket Perizinan Terpadu" in page
    assert "Keramahan petugas" in page and "Kejelasan informasi" in page
    assert "Aspek instansi lain" not in page

    response = post(
        client,
        {
            "rating": "2",
            "aspects": [aspects["friendliness"].pk, aspects["clarity"].pk],
            "comment": "  Petugas kurang menjelaskan syarat.  ",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/umpan-balik/loket-perizinan/terima-kasih/"
    feedback = PublicFeedback.objects.get()
    assert feedback.rating == 2
    assert feedback.comment == "Petugas kurang menjelaskan syarat."
    assert set(feedback.aspects.all()) == {aspects["friendliness"], aspects["clarity"]}
    assert len(feedback.client_hash) == 64 and "203.0.113.7" not in feedback.client_hash
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose how satisfied you are, from 1 to 5."),
        ({"rating": "6"}, "Choose a score from 1 to 5."),
        ({"rating": "3", "comment": "x" * 1001}, "Keep the comment under 1,000 characters."),
    ],
)
def test_the_form_says_what_is_wrong(unit, client, data, message):
    response = post(client, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PublicFeedback.objects.exists()


def test_aspects_of_another_organization_are_refused(unit, aspects, client):
    response = post(client, {"rating": "4", "aspects": [aspects["elsewhere"].pk]})
    assert response.status_code == 400
    assert not PublicFeedback.objects.exists()


def test_a_robot_filling_the_honeypot_stores_nothing(unit, client):
    response = post(client, {"rating": "5", "website": "http://spam.example"})
    assert response.status_code == 302  # told it worked, so it learns nothing
    assert not PublicFeedback.objects.exists()


def test_five_ratings_an_hour_per_client_and_unit(unit, provider_a, client):
    for _ in range(FEEDBACK_LIMIT):
        assert post(client, {"rating": "4"}).status_code == 302
    blocked = post(client, {"rating": "1", "comment": "Sekali lagi"})
    assert blocked.status_code == 429
    assert blocked["Retry-After"] == "3600"
    assert "Please try again later" in blocked.content.decode()
    assert PublicFeedback.objects.count() == FEEDBACK_LIMIT
    assert not PublicFeedback.objects.filter(comment="Sekali lagi").exists()

    # Another connection, or another unit, is counted on its own.
    assert post(client, {"rating": "4"}, ip="198.51.100.20").status_code == 302
    ServiceUnit.objects.create(organization=provider_a, name="Loket Kedua", slug="loket-kedua")
    response = client.post("/umpan-balik/loket-kedua/", {"rating": "4"}, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302
    assert PublicFeedback.objects.count() == FEEDBACK_LIMIT + 2


def test_robots_count_against_the_limit_too(unit, client):
    for _ in range(FEEDBACK_LIMIT):
        post(client, {"rating": "5", "website": "spam"})
    assert post(client, {"rating": "5"}).status_code == 429


def test_a_closed_or_unknown_unit_is_not_found(unit, client):
    ServiceUnit.objects.filter(pk=unit.pk).update(public=False)
    assert client.get(URL).status_code == 404
    assert post(client, {"rating": "3"}).status_code == 404
    assert client.get("/umpan-balik/tidak-ada/").status_code == 404


# The editors' snippets


def _list_url(model: str) -> str:
    return reverse(f"wagtailsnippets_evaluation_{model}:list")


def test_editors_manage_their_own_organizations_units(
    unit, provider_a, provider_b, editor_a, editor_b, client_for
):
    other = ServiceUnit.objects.create(organization=provider_b, name="Loket KB", slug="loket-kb")
    client = client_for(editor_a)
    listing = client.get(_list_url("serviceunit")).content.decode()
    assert "Loket Perizinan Terpadu" in listing
    assert "Loket KB" not in listing

    add_url = reverse("wagtailsnippets_evaluation_serviceunit:add")
    created = client.post(
        add_url,
        {"organization": provider_a.pk, "name": "Loket Baru", "slug": "loket-baru", "public": "on"},
    )
    assert created.status_code == 302
    assert ServiceUnit.objects.filter(slug="loket-baru", organization=provider_a).exists()
    refused = client.post(
        add_url, {"organization": provider_b.pk, "name": "Bukan Milik", "slug": "bukan-milik"}
    )
    assert refused.status_code == 200
    assert not ServiceUnit.objects.filter(slug="bukan-milik").exists()

    edit_other = reverse("wagtailsnippets_evaluation_serviceunit:edit", args=[other.pk])
    client.post(edit_other, {"organization": provider_a.pk, "name": "Direbut", "slug": "loket-kb"})
    other.refresh_from_db()
    assert (other.name, other.organization) == ("Loket KB", provider_b)
    assert client_for(editor_b).get(edit_other).status_code == 200


def test_editors_map_their_aspects_to_competencies_but_not_global_ones(
    aspects, provider_a, editor_a, admin_user, client_for
):
    competency = CompetencyFactory(code="M.96", name="Komunikasi")
    client = client_for(editor_a)
    listing = client.get(_list_url("feedbackaspect")).content.decode()
    assert "Kejelasan informasi" in listing
    assert "Keramahan petugas" not in listing  # global: the platform's

    response = client.post(
        reverse("wagtailsnippets_evaluation_feedbackaspect:add"),
        {
            "organization": provider_a.pk,
            "name": "Kecepatan layanan",
            "competencies": [competency.pk],
            "sort_order": "1",
        },
    )
    assert response.status_code == 302
    aspect = FeedbackAspect.objects.get(name="Kecepatan layanan")
    assert list(aspect.competencies.all()) == [competency]
    no_organization = client.post(
        reverse("wagtailsnippets_evaluation_feedbackaspect:add"),
        {"organization": "", "name": "Global baru", "sort_order": "0"},
    )
    assert no_organization.status_code == 200
    assert not FeedbackAspect.objects.filter(name="Global baru").exists()

    superuser_listing = client_for(admin_user).get(_list_url("feedbackaspect")).content.decode()
    assert "Keramahan petugas" in superuser_listing and "Aspek instansi lain" in superuser_listing
