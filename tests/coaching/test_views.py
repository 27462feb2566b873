"""Coaching pages as each role: the two parties act, anyone else gets 404; the list and the
detail take the same number of queries whatever the number of agreements and sessions."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.factories import CoachingAgreementFactory, CoachingSessionFactory
from coaching.models import CoachingAgreement, CoachingSession
from development.models import DevelopmentRecord
from learners.factories import UserFactory
from tests.utils import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(coachee, supervisor):
    return CoachingAgreementFactory(coachee=coachee, coach=supervisor, title="Telaahan staf")


def test_my_learning_links_coaching(coachee, client_for):
    response = client_for(coachee).get(reverse("learners:my_learning"))
    assert reverse("coaching:agreement_list") in response.content.decode()


def test_the_list_shows_agreements_as_coachee_and_as_coach(
    agreement, coachee, supervisor, widyaiswara, client_for
):
    CoachingAgreementFactory(coachee=supervisor, coach=widyaiswara, title="Kepemimpinan")
    CoachingSessionFactory(agreement=agreement)
    as_coachee = client_for(coachee).get(reverse("coaching:agreement_list")).content.decode()
    assert "Telaahan staf" in as_coachee and "Kepemimpinan" not in as_coachee
    as_both = client_for(supervisor).get(reverse("coaching:agreement_list")).content.decode()
    assert "Telaahan staf" in as_both and "Kepemimpinan" in as_both
    # The session the coachee logged waits for the supervisor.
    assert "menunggu konfirmasi Anda" in as_both


def test_proposing_by_email_then_accepting(coachee, supervisor, client_for):
    response = client_for(coachee).post(
        reverse("coaching:agreement_create"),
        {
            "role": "coachee",
            "other_email": "atasan@ku.go.id",
            "kind": "mentoring",
            "title": "Karier",
            "goals": "Merencanakan jenjang karier.",
            "start_date": timezone.localdate().isoformat(),
        },
    )
    agreement = CoachingAgreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("coaching:agreement_detail", args=[agreement.pk])
    detail = client_for(supervisor).get(response["Location"]).content.decode()
    assert reverse("coaching:agreement_accept", args=[agreement.pk]) in detail
    client_for(supervisor).post(reverse("coaching:agreement_accept", args=[agreement.pk]))
    agreement.refresh_from_db()
    assert agreement.status == CoachingAgreement.Status.ACTIVE


def test_an_unknown_address_is_a_clear_error(coachee, client_for):
    response = client_for(coachee).post(
        reverse("coaching:agreement_create"),
        {
            "role": "coachee",
            "other_email": "siapa@ku.go.id",
            "kind": "coaching",
            "title": "Karier",
            "goals": "Tujuan.",
            "start_date": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 400
    assert "Tidak ada akun Lentera" in response.content.decode()
    assert not CoachingAgreement.objects.exists()


def test_logging_then_confirming_makes_a_verified_record(
    agreement, coachee, supervisor, client_for
):
    response = client_for(coachee).post(
        reverse("coaching:session_log", args=[agreement.pk]),
        {
            "session_date": (timezone.localdate() - timedelta(days=2)).isoformat(),
            "duration_minutes": "45",
            "notes": "Membahas data.",
            "agreed_actions": "",
        },
    )
    assert response.status_code == 302
    session = CoachingSession.objects.get()
    detail = client_for(supervisor).get(reverse("coaching:agreement_detail", args=[agreement.pk]))
    confirm_url = reverse("coaching:session_confirm", args=[agreement.pk, session.pk])
    assert confirm_url in detail.content.decode()

    client_for(supervisor).post(confirm_url)

    record = DevelopmentRecord.objects.get()
    assert record.status == DevelopmentRecord.Status.VERIFIED and record.owner == coachee
    page = client_for(coachee).get(reverse("coaching:agreement_detail", args=[agreement.pk]))
    assert reverse("development:record_detail", args=[record.pk]) in page.content.decode()


def test_a_bad_session_is_refused_beside_its_field(agreement, coachee, client_for):
    response = client_for(coachee).post(
        reverse("coaching:session_log", args=[agreement.pk]),
        {
            "session_date": (timezone.localdate() + timedelta(days=1)).isoformat(),
            "duration_minutes": "30",
            "notes": "Catatan.",
        },
    )
    assert response.status_code == 400
    assert "tidak boleh di masa depan" in response.content.decode()
    assert not CoachingSession.objects.exists()


@pytest.mark.parametrize("who", ["other_learner", "hr", "widyaiswara"])
def test_anyone_but_the_two_parties_gets_404(who, agreement, request, client_for):
    session = CoachingSessionFactory(agreement=agreement)
    client = client_for(request.getfixturevalue(who))
    pk = agreement.pk
    assert client.get(reverse("coaching:agreement_detail", args=[pk])).status_code == 404
    assert client.get(reverse("coaching:session_log", args=[pk])).status_code == 404
    for name, args in (
        ("coaching:agreement_accept", [pk]),
        ("coaching:agreement_end", [pk]),
        ("coaching:session_log", [pk]),
        ("coaching:session_confirm", [pk, session.pk]),
    ):
        assert client.post(reverse(name, args=args), {"notes": "x"}).status_code == 404
    agreement.refresh_from_db()
    session.refresh_from_db()
    assert agreement.status == CoachingAgreement.Status.ACTIVE
    assert session.confirmed_by_coach_at is None
    assert "Telaahan staf" not in client.get(reverse("coaching:agreement_list")).content.decode()


def test_a_superuser_who_is_no_party_gets_404(agreement, client_for):
    admin = UserFactory(email="admin@lentera.go.id", is_superuser=True, is_staff=True)
    response = client_for(admin).get(reverse("coaching:agreement_detail", args=[agreement.pk]))
    assert response.status_code == 404


def test_pages_ask_for_sign_in(agreement, client):
    response = client.get(reverse("coaching:agreement_detail", args=[agreement.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_list_takes_the_same_queries_for_1_or_8_agreements(coachee, supervisor, client_for):
    client = client_for(coachee)
    url = reverse("coaching:agreement_list")
    CoachingSessionFactory(agreement=CoachingAgreementFactory(coachee=coachee, coach=supervisor))
    few = count_queries(client, url)
    for _ in range(7):
        agreement = CoachingAgreementFactory(coachee=coachee)
        CoachingSessionFactory.create_batch(2, agreement=agreement)
        CoachingAgreementFactory(coach=coachee)
    assert count_queries(client, url) == few


def test_the_detail_takes_the_same_queries_for_1_or_12_sessions(
    agreement, coachee, supervisor, client_for
):
    from coaching import services

    client = client_for(coachee)
    url = reverse("coaching:agreement_detail", args=[agreement.pk])
    services.session_confirm(session=CoachingSessionFactory(agreement=agreement), user=supervisor)
    few = count_queries(client, url)
    for day in range(11):
        session = CoachingSessionFactory(
            agreement=agreement, date=timezone.localdate() - timedelta(days=day)
        )
        if day % 2:
            services.session_confirm(session=session, user=supervisor)
    assert count_queries(client, url) == few
