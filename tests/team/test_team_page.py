"""The supervisor's team page: the people whose confirmed direct supervisor the user is, each
with the JP their own ledger shows this year, what waits for the supervisor (records, needs,
enrollment requests) and their courses in progress, in a number of queries that does not grow
with the team."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from courses.factories import course_with_lessons, provider_page_of
from development import services
from development.factories import DevelopmentRecordFactory, form_of
from development.ledger import current_year, jp_ledger
from evaluation import services as evaluation_services
from learners.factories import (
    EnrollmentFactory,
    LessonCompletionFactory,
    UserFactory,
    completed_enrollment,
)
from team.selectors import MEMBERS_PER_PAGE, REQUESTS_SHOWN

URL = "/saya/tim/"


def _record(owner, *, jp: str, title: str):
    day = timezone.localdate() - timedelta(days=2)
    return DevelopmentRecordFactory(
        owner=owner,
        form=form_of("workshop"),
        jp=Decimal(jp),
        start_date=day,
        end_date=day,
        title=title,
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


def test_the_url_is_named():
    assert reverse("team:my_team") == URL


def test_the_supervisor_sees_exactly_their_confirmed_team(
    client,
    supervisor,
    member,
    hr,
    other_supervisor,
    unconfirmed_supervisor,
    competency,
    course_a,
    course_b,
):
    member.nip = "197811222006041013"
    member.save(update_fields=["nip"])
    enrollment = completed_enrollment(user=member, course=course_a)
    services.record_verify(record=_record(member, jp="8", title="Lokakarya"), verifier=hr)
    _record(member, jp="5", title="Seminar Menunggu")  # waiting: not counted
    active = EnrollmentFactory(user=member, course=course_b)
    LessonCompletionFactory(enrollment=active)
    _need(member, competency)

    client.force_login(supervisor)
    response = client.get(URL)

    assert response.status_code == 200
    team = response.context["team"]
    assert [person.pk for person in team.members] == [member.pk]
    row = team.members[0]
    expected = enrollment.jp_credited + Decimal("8")
    assert row.jp == expected
    assert jp_ledger(user=member, year=current_year()).earned == expected
    assert (row.jp_target, row.jp_is_cap) == (20, False)
    assert row.records_waiting == 1
    assert row.needs_waiting == 1
    assert row.enrollments_active == 1
    assert 0 < row.progress_average < 100
    assert row.requests_pending == 0
    page = response.content.decode()
    assert "Pegawai Satu" in page
    assert "19781122 200604 1 013" in page
    assert reverse("team:member_detail", args=[member.pk]) in page
    assert "Anak Buah Lain" not in page
    assert "Pegawai Tiga" not in page


def test_a_pppk_member_is_measured_against_the_cap(client, supervisor, organization):
    person = UserFactory(organization=organization, supervised_by=supervisor, account_kind="pppk")
    client.force_login(supervisor)
    row = client.get(URL).context["team"].members[0]
    assert row.pk == person.pk
    assert (row.jp_target, row.jp_is_cap) == (settings.LENTERA_PPPK_JP_CAP, True)
    assert row.progress_average is None


def test_the_team_page_lists_the_requests_the_supervisor_decides(
    client, supervisor, member, course_b
):
    request = EnrollmentFactory(user=member, course=course_b, pending=True)
    client.force_login(supervisor)
    response = client.get(URL)
    assert [e.pk for e in response.context["team"].requests] == [request.pk]
    assert response.context["team"].members[0].requests_pending == 1
    page = response.content.decode()
    assert reverse("learners:enrollment_requests") in page
    assert f'name="next" value="{URL}"' in page

    answer = client.post(
        reverse("learners:enrollment_requests"),
        {"enrollment": request.pk, "decision": "approve", "note": "", "next": URL},
    )
    assert answer.status_code == 302
    assert answer["Location"] == URL
    request.refresh_from_db()
    assert request.status == "active"


def test_a_learner_with_no_team_sees_the_empty_state(client, other_learner):
    client.force_login(other_learner)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["team"].members == []
    assert "empty-state" in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_record_list_links_the_team_for_a_supervisor(client, supervisor, member):
    client.force_login(supervisor)
    page = client.get(reverse("development:record_list")).content.decode()
    assert URL in page


def _team_of(supervisor, organization, size, courses, competency):
    """`size` more people in the team, each with a course done, one in progress, another asked
    for, a record verified and one waiting, and a need waiting."""
    done, in_progress, asked = courses
    for _n in range(size):
        person = UserFactory(
            organization=organization, supervised_by=supervisor, account_kind="pppk"
        )
        completed_enrollment(user=person, course=done)
        services.record_verify(record=_record(person, jp="3", title="Bimtek"), verifier=supervisor)
        _record(person, jp="2", title="Seminar")
        LessonCompletionFactory(enrollment=EnrollmentFactory(user=person, course=in_progress))
        EnrollmentFactory(user=person, course=asked, pending=True)
        _need(person, competency)


#: Session and user; the team's count, the page's ids, those members (their work units come
#: with them); their active enrollments with their stored progress; their pending requests per
#: person; the team's oldest requests to decide (their total rides on them). The header's
#: roles come from the cache on a second view (cohorts.navigation).
QUERIES = 8


def test_queries_do_not_grow_with_the_team(
    client,
    supervisor,
    organization,
    course_a,
    course_b,
    provider_a,
    competency,
    django_assert_num_queries,
):
    course_c = course_with_lessons(provider_page=provider_page_of(provider_a), title="Kursus C")
    courses = (course_a, course_b, course_c)
    client.force_login(supervisor)
    _team_of(supervisor, organization, 2, courses, competency)
    client.get(URL)
    with django_assert_num_queries(QUERIES):
        response = client.get(URL)
    assert len(response.context["team"].members) == 2
    assert len(response.context["team"].requests) == 2
    _team_of(supervisor, organization, 10, courses, competency)
    with django_assert_num_queries(QUERIES):
        response = client.get(URL)
    team = response.context["team"]
    assert len(team.members) == 12
    assert len(team.requests) == REQUESTS_SHOWN == 10
    assert team.requests_total == 12
    assert sum(member.requests_pending for member in team.members) == 12
    page = response.content.decode()
    assert "10 permintaan terlama dari 12 yang menunggu Anda." in page
    assert "12 orang dalam tim Anda." in page


def test_the_team_is_listed_50_a_page_with_its_counts(client, supervisor, organization, course_b):
    people = sorted(
        (
            UserFactory(organization=organization, supervised_by=supervisor)
            for _n in range(MEMBERS_PER_PAGE + 3)
        ),
        key=lambda person: (person.full_name, person.pk),
    )
    last = people[-1]
    request = EnrollmentFactory(user=last, course=course_b, pending=True)
    client.force_login(supervisor)

    first = client.get(URL)
    team = first.context["team"]
    assert [person.pk for person in team.members] == [p.pk for p in people[:MEMBERS_PER_PAGE]]
    assert team.page_obj.paginator.count == MEMBERS_PER_PAGE + 3
    # The requests are the whole team's, whatever the page.
    assert [e.pk for e in team.requests] == [request.pk]
    assert team.requests_total == 1
    assert all(member.requests_pending == 0 for member in team.members)
    html = first.content.decode()
    assert f"{MEMBERS_PER_PAGE + 3} orang dalam tim Anda." in html
    assert f"Halaman ini memuat nomor 1 sampai {MEMBERS_PER_PAGE}, urut nama." in html
    assert '<nav class="pagination" aria-label="Navigasi halaman">' in html
    assert '<a href="?page=2" rel="next">Halaman berikutnya</a>' in html

    second = client.get(URL, {"page": 2})
    team = second.context["team"]
    assert [person.pk for person in team.members] == [p.pk for p in people[MEMBERS_PER_PAGE:]]
    assert team.members[-1].requests_pending == 1
    assert [e.pk for e in team.requests] == [request.pk]
    html = second.content.decode()
    assert '<a href="?" rel="prev">Halaman sebelumnya</a>' in html
    assert reverse("team:member_detail", args=[last.pk]) in html
    # Past the end or not a number: the last or the first page, never an error.
    assert client.get(URL, {"page": 99}).context["team"].page_obj.number == 2
    assert client.get(URL, {"page": "x"}).context["team"].page_obj.number == 1
