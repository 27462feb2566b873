"""The trainer's dashboard through HTTP: the right trainer sees everything, the wrong people
get 404; the table, exports and API cost the same queries for 10 or 500 learners."""

import io
import re

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cohorts.members import cohort_members_add
from cohorts.models import CohortMembership, Reminder
from cohorts.services import cohort_create
from courses.models import LessonPage
from learners.factories import UserFactory, WorkUnitFactory
from learners.models import Enrollment, LessonCompletion, User
from learners.progress import recount_progress
from tests.utils import count_queries, csv_download

pytestmark = pytest.mark.django_db


def _urls(cohort):
    return {
        "detail": reverse("cohorts:detail", args=[cohort.pk]),
        "edit": reverse("cohorts:edit", args=[cohort.pk]),
        "add": reverse("cohorts:learners_add", args=[cohort.pk]),
        "csv": reverse("cohorts:export_csv", args=[cohort.pk]),
        "xlsx": reverse("cohorts:export_xlsx", args=[cohort.pk]),
        "api": f"/api/v1/cohorts/{cohort.pk}/progress",
    }


def _populate(cohort, trainer, course, count: int, *, unit=None):
    """`count` learners, the first third with two lessons done (bulk, as at scale)."""
    password = make_password(None)
    start = User.objects.count()
    users = User.objects.bulk_create(
        User(
            email=f"learner{n}@instansi.go.id",
            full_name=f"Learner {n - start:04d}",
            password=password,
            work_unit=unit,
        )
        for n in range(start, start + count)
    )
    cohort_members_add(cohort=cohort, users=users, added_by=trainer)
    lessons = list(LessonPage.objects.descendant_of(course).order_by("path")[:2])
    enrollments = list(Enrollment.objects.filter(cohort_membership__cohort=cohort))
    LessonCompletion.objects.bulk_create(
        LessonCompletion(enrollment=enrollment, lesson=lesson, completed_at=timezone.now())
        for enrollment in enrollments[: count // 3]
        for lesson in lessons
    )
    recount_progress(Enrollment.objects.filter(cohort_membership__cohort=cohort))
    return users


def test_trainer_sees_the_cohort_with_summary_charts_and_table(
    client_for, cohort, trainer, course_a
):
    _populate(cohort, trainer, course_a, 6)
    client = client_for(trainer)
    response = client.get(reverse("cohorts:dashboard"))
    assert response.status_code == 200
    assert cohort.name in response.text
    response = client.get(_urls(cohort)["detail"])
    assert response.status_code == 200
    html = response.text
    assert "Learner 0000" in html
    assert html.count("<svg") == 3
    assert "at risk" in html
    assert "<script" not in html.split("<main", 1)[1]


def test_table_filters_sort_and_status(client_for, cohort, trainer, course_a):
    unit = WorkUnitFactory(name="Biro Umum")
    _populate(cohort, trainer, course_a, 3, unit=unit)
    _populate_extra = UserFactory(full_name="Zaenal Outside Unit")
    cohort_members_add(cohort=cohort, users=[_populate_extra], added_by=trainer)
    client = client_for(trainer)
    url = _urls(cohort)["detail"]
    html = client.get(url, {"unit": unit.pk}).text
    assert "Learner 0000" in html and "Zaenal" not in html
    html = client.get(url, {"q": "zaenal"}).text
    assert "Zaenal" in html and "Learner 0000" not in html
    html = client.get(url, {"sort": "-name"}).text
    assert html.index("Zaenal") < html.index("Learner 0000")
    assert client.get(url, {"status": "bogus", "unit": "x", "sort": "nope"}).status_code == 200


@pytest.mark.parametrize("name", ["detail", "edit", "add", "csv", "xlsx", "api"])
def test_the_wrong_people_get_404(client_for, cohort, trainer, course_a, other_trainer, name):
    _populate(cohort, trainer, course_a, 2)
    other_cohort = cohort_create(
        course=course_a,
        name="Angkatan Lain",
        starts_on=cohort.starts_on,
        ends_on=cohort.ends_on,
        created_by=other_trainer,
    )
    learner = Enrollment.objects.filter(cohort_membership__cohort=cohort).first().user
    hr = UserFactory(admin_of=course_a.provider)
    url = _urls(cohort)[name]
    for person in (other_trainer, learner, hr):
        assert client_for(person).get(url).status_code == 404, (person, url)
    assert client_for(other_trainer).get(_urls(other_cohort)[name]).status_code == 200
    from django.test import Client

    response = Client().get(url)
    assert response.status_code in (302, 401)


def test_learners_get_404_on_the_dashboard(client_for, learners):
    assert client_for(learners[0]).get(reverse("cohorts:dashboard")).status_code == 404


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


def test_queries_do_not_grow_with_the_cohort(client_for, cohort, trainer, course_a):
    client = client_for(trainer)
    urls = _urls(cohort)
    _populate(cohort, trainer, course_a, 10)
    small = {name: _queries(client, urls[name]) for name in ("detail", "csv", "xlsx", "api")}
    _populate(cohort, trainer, course_a, 490)
    large = {name: _queries(client, urls[name]) for name in ("detail", "csv", "xlsx", "api")}
    assert small == large
    assert count_queries(client, urls["detail"]) < 30


def test_exports_read_back(client_for, cohort, trainer, course_a):
    users = _populate(cohort, trainer, course_a, 5)
    User.objects.filter(pk=users[0].pk).update(nip="198609262015051001")
    client = client_for(trainer)
    response = client.get(_urls(cohort)["csv"])
    # For Excel: a byte order mark, and the NIP as a text formula, or it keeps 15 digits.
    assert csv_download(response, as_shown=False)[1][1] == '="198609262015051001"'
    response = client.get(_urls(cohort)["csv"])
    rows = csv_download(response)
    assert rows[1][1] == "198609262015051001"
    assert rows[0][:7] == [
        "Name",
        "NIP",
        "E-mail",
        "Work unit",
        "Progress (%)",
        "Last activity",
        "Status",
    ]
    assert len(rows) == 6
    assert {row[4] for row in rows[1:]} == {"0", "50"}

    response = client.get(_urls(cohort)["xlsx"])
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    sheet = workbook.worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Name"
    assert values[1][1] == "198609262015051001"  # a text cell
    assert len(values) == 6
    assert sorted(row[4] for row in values[1:]) == [0, 0, 0, 0, 50]


def test_api_rows_are_paginated_and_masked(client_for, cohort, trainer, course_a):
    users = _populate(cohort, trainer, course_a, 3)
    User.objects.filter(pk=users[0].pk).update(nip="198609262015051001")
    response = client_for(trainer).get(_urls(cohort)["api"], {"page_size": 2, "sort": "name"})
    body = response.json()
    assert body["count"] == 3 and body["pages"] == 2 and len(body["results"]) == 2
    first = body["results"][0]
    assert first["nip_masked"] == "1986***********001"
    assert first["status"] in ("not_started", "on_track", "at_risk", "completed")
    assert client_for(trainer).get(_urls(cohort)["api"], {"page_size": 500}).status_code == 422


def test_reminders_from_the_page_once_a_day(
    client_for, cohort, trainer, course_a, mailoutbox, django_capture_on_commit_callbacks
):
    users = _populate(cohort, trainer, course_a, 4)
    client = client_for(trainer)
    url = reverse("cohorts:remind", args=[cohort.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"learners": [users[0].pk, users[1].pk]})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"at_risk": "1"}, follow=True)
    assert len(mailoutbox) == Reminder.objects.count()
    assert Reminder.objects.filter(learner=users[0]).count() == 1
    assert "already reminded today" in response.text
    assert "Learner 0000" in client.get(_urls(cohort)["detail"]).text
    # A learner of another cohort cannot be reminded through this one.
    stranger = UserFactory()
    client.post(url, {"learners": [stranger.pk]})
    assert not Reminder.objects.filter(learner=stranger).exists()


def test_add_one_learner_by_nip_or_invite_by_email(client_for, cohort, trainer):
    person = UserFactory(nip="198609262015051001")
    client = client_for(trainer)
    url = _urls(cohort)["add"]
    client.post(url, {"person": "19860926 201505 1 001"})
    assert CohortMembership.objects.filter(cohort=cohort, enrollment__user=person).exists()
    client.post(url, {"person": "baru@instansi.go.id"})
    assert cohort.invitations.get().email == "baru@instansi.go.id"
    response = client.post(url, {"person": "12345"})
    assert "18 digits" in response.text


def test_upload_dry_run_then_apply(client_for, cohort, trainer):
    UserFactory(email="budi@instansi.go.id")
    client = client_for(trainer)
    upload = io.BytesIO(b"email\nbudi@instansi.go.id\nbaru@instansi.go.id\n")
    upload.name = "peserta.csv"
    response = client.post(_urls(cohort)["add"], {"upload": "1", "file": upload})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Will be enrolled" in page.text and "will be invited" in page.text
    assert not CohortMembership.objects.exists()
    client.post(response["Location"])
    assert CohortMembership.objects.filter(cohort=cohort).count() == 1
    assert cohort.invitations.count() == 1

    bad = io.BytesIO(b"%PDF-1.4")
    bad.name = "peserta.pdf"
    response = client.post(_urls(cohort)["add"], {"upload": "1", "file": bad})
    assert "Upload a .csv or .xlsx file." in response.text


def test_learner_joins_an_open_cohort_from_the_course_page(client_for, cohort, learners, course_a):
    client = client_for(learners[0])
    page = client.get(course_a.url)
    assert cohort.name in page.text
    client.post(reverse("cohorts:join", args=[cohort.pk]))
    membership = CohortMembership.objects.get(enrollment__user=learners[0])
    assert membership.via == CohortMembership.Via.REQUEST
    assert "Your cohort" in client.get(course_a.url).text


def test_exports_round_quiz_scores_for_people(client_for, provider_a):
    from decimal import Decimal

    from courses.factories import provider_page_of
    from quizzes.models import QuizAttempt
    from tests.quizzes.quiz_helpers import course_with_quiz

    course, _lesson, quiz = course_with_quiz(provider_page_of(provider_a), title="Etika Dasar")
    trainer = UserFactory(trainer_of=course)
    cohort = cohort_create(
        course=course,
        name="Angkatan Kuis",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
        created_by=trainer,
    )
    learner = UserFactory(full_name="Ani")
    cohort_members_add(cohort=cohort, users=[learner], added_by=trainer)
    QuizAttempt.objects.create(
        user=learner,
        quiz=quiz,
        enrollment=Enrollment.objects.get(user=learner),
        number=1,
        status=QuizAttempt.Status.SUBMITTED,
        started_at=timezone.now(),
        submitted_at=timezone.now(),
        score=Decimal("83.33"),
    )
    client = client_for(trainer)
    rows = csv_download(client.get(_urls(cohort)["csv"]))
    assert rows[1][-1] == "83.3"
    sheet = load_workbook(io.BytesIO(client.get(_urls(cohort)["xlsx"]).content)).worksheets[0]
    assert list(sheet.iter_rows(values_only=True))[1][-1] == 83.3


def test_the_table_says_at_risk_and_not_started_and_the_filter_finds_them(
    client_for, cohort, trainer, course_a, settings
):
    _populate(cohort, trainer, course_a, 3)
    settings.LENTERA_AT_RISK_THRESHOLD = 20
    client = client_for(trainer)
    page = client.get(_urls(cohort)["detail"]).text
    table = page.split('class="listing ledger learners-table"')[1].split("</table>")[0]
    rows = table.split("<tr>")[2:]
    assert len([row for row in rows if "At risk" in row and "Not started" in row]) == 2
    summary = page.split('id="summary-title"')[1].split("</dl>")[0]
    assert "<dt>Not started</dt><dd>2</dd>" in summary
    # The status column comes right after the name.
    headers = re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>", table, re.S)
    assert "Status" in headers[2]
    filtered = client.get(_urls(cohort)["detail"], {"status": "not_started"}).text
    assert "2 learners match." in filtered
