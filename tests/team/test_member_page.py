"""One member of the supervisor's team (/saya/tim/<id>/): only their confirmed direct supervisor
sees it (anyone else, HR included, gets a 404 that does not say the person exists); it shows
this year's ledger, the open enrollments with their progress, what waits for the supervisor and
their coaching together, in a number of queries that does not grow with the records."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.factories import CoachingAgreementFactory, CoachingSessionFactory
from content.factories import CompetencyFactory
from development import services
from development.factories import DevelopmentRecordFactory, form_of
from evaluation import services as evaluation_services
from learners.factories import (
    EnrollmentFactory,
    LessonCompletionFactory,
    completed_enrollment,
)


def url(person) -> str:
    return reverse("team:member_detail", args=[person.pk])


def _record(owner, *, jp: str, title: str, form: str = "workshop", days_ago: int = 2):
    day = timezone.localdate() - timedelta(days=days_ago)
    return DevelopmentRecordFactory(
        owner=owner, form=form_of(form), jp=Decimal(jp), start_date=day, end_date=day, title=title
    )


def _need(user, competency):
    return evaluation_services.learning_need_create(
        user=user,
        competency=competency,
        current_level=1,
        target_level=3,
        priority="high",
        reason="Dibutuhkan untuk tugas analisis di unit kerja.",
        submit=True,
    )


def test_the_url(member):
    assert url(member) == f"/saya/tim/{member.pk}/"


def test_the_supervisor_sees_the_member(
    client, supervisor, member, hr, competency, course_a, course_b
):
    completed_enrollment(user=member, course=course_a)
    verified = _record(member, jp="8", title="Lokakarya Data")
    services.record_verify(record=verified, verifier=hr)
    waiting = _record(member, jp="5", title="Seminar Menunggu", form="seminar")
    active = EnrollmentFactory(user=member, course=course_b)
    LessonCompletionFactory(enrollment=active)
    need = _need(member, competency)
    agreement = CoachingAgreementFactory(coachee=member, coach=supervisor, title="Telaahan Staf")
    CoachingSessionFactory(agreement=agreement)
    CoachingAgreementFactory(coachee=member, title="Dengan Orang Lain")

    client.force_login(supervisor)
    response = client.get(url(member))

    assert response.status_code == 200
    overview = response.context["overview"]
    assert overview.member == member
    titles = {entry.title: entry for entry in overview.ledger.entries}
    assert titles["Lokakarya Data"].counted
    assert not titles["Seminar Menunggu"].counted
    assert course_a.title in titles
    assert overview.ledger.earned == verified.jp + titles[course_a.title].jp
    assert [r.pk for r in overview.records_waiting] == [waiting.pk]
    assert [n.pk for n in overview.needs_waiting] == [need.pk]
    assert [row.enrollment.pk for row in overview.enrollments] == [active.pk]
    assert 0 < overview.progress_average < 100
    assert [a.pk for a in overview.agreements] == [agreement.pk]
    assert overview.agreements[0].session_count == 1
    page = response.content.decode()
    assert reverse("development:record_detail", args=[waiting.pk]) in page
    assert reverse("evaluation:needs_endorsement") in page
    assert reverse("coaching:agreement_detail", args=[agreement.pk]) in page
    assert "Dengan Orang Lain" not in page
    assert "Seminar Menunggu" in page


def test_the_member_page_decides_enrollment_requests(client, supervisor, member, course_b):
    request = EnrollmentFactory(user=member, course=course_b, pending=True)
    client.force_login(supervisor)
    response = client.get(url(member))
    assert [e.pk for e in response.context["overview"].requests] == [request.pk]
    answer = client.post(
        reverse("learners:enrollment_requests"),
        {
            "enrollment": request.pk,
            "decision": "reject",
            "note": "Tahun depan",
            "next": url(member),
        },
    )
    assert answer["Location"] == url(member)
    request.refresh_from_db()
    assert request.status == "rejected"


def test_next_leading_off_site_is_ignored(client, supervisor, member, course_b):
    request = EnrollmentFactory(user=member, course=course_b, pending=True)
    client.force_login(supervisor)
    answer = client.post(
        reverse("learners:enrollment_requests"),
        {"enrollment": request.pk, "decision": "approve", "next": "https://jahat.example/"},
    )
    assert answer["Location"] == reverse("learners:enrollment_requests")


@pytest.mark.parametrize(
    "who",
    ["member", "other_learner", "other_supervisor", "unconfirmed_supervisor", "hr", "hr_other"],
)
def test_anyone_but_the_confirmed_supervisor_gets_404(client, member, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(member)).status_code == 404


def test_a_link_not_yet_confirmed_shows_nothing(client, unconfirmed_supervisor):
    person = unconfirmed_supervisor.staff.get()
    client.force_login(unconfirmed_supervisor)
    assert client.get("/saya/tim/").context["team"].members == []
    assert client.get(url(person)).status_code == 404


def test_an_unknown_person_is_404(client, supervisor, db):
    client.force_login(supervisor)
    assert client.get("/saya/tim/999999/").status_code == 404


def test_anonymous_is_sent_to_sign_in(client, member):
    response = client.get(url(member))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


#: Session and user; the member; the ledger (courses, records); the open enrollments with
#: their stored progress; the records and needs waiting; the agreements; the requests. The
#: header's roles come from the cache on a second view (cohorts.navigation).
QUERIES = 10


def _activity(person, supervisor, hr, first, n):
    for i in range(first, first + n):
        services.record_verify(record=_record(person, jp="2", title=f"Bimtek {i}"), verifier=hr)
        _record(person, jp="1", title=f"Seminar {i}", form="seminar", days_ago=3 + i)
        _need(person, CompetencyFactory())
        CoachingSessionFactory(agreement=CoachingAgreementFactory(coachee=person, coach=supervisor))


def test_queries_do_not_grow_with_the_records(
    client, supervisor, member, hr, competency, course_a, course_b, django_assert_num_queries
):
    completed_enrollment(user=member, course=course_a)
    LessonCompletionFactory(enrollment=EnrollmentFactory(user=member, course=course_b))
    client.force_login(supervisor)
    _activity(member, supervisor, hr, 0, 2)
    client.get(url(member))
    with django_assert_num_queries(QUERIES):
        response = client.get(url(member))
    assert len(response.context["overview"].records_waiting) == 2
    _activity(member, supervisor, hr, 2, 10)
    with django_assert_num_queries(QUERIES):
        response = client.get(url(member))
    assert len(response.context["overview"].records_waiting) == 12
    assert len(response.context["overview"].agreements) == 12


@pytest.mark.parametrize(
    "who",
    ["member", "other_learner", "other_supervisor", "unconfirmed_supervisor", "hr", "hr_other"],
)
def test_nobody_else_s_team_page_lists_the_member(client, member, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.get("/saya/tim/")
    assert response.status_code == 200
    assert member.pk not in [person.pk for person in response.context["team"].members]
    assert url(member) not in response.content.decode()
