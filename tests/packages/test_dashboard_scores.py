"""Package lesson scores reach the trainer's dashboard: a score column beside the quizzes' in
the learners table, the exports and the API, in the same queries whatever the cohort's size."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cohorts import selectors
from cohorts.members import cohort_members_add
from cohorts.services import cohort_create
from courses.factories import provider_page_of
from learners.factories import UserFactory
from learners.models import Enrollment
from packages.factories import PackageFactory
from packages.services import runtime_commit
from tests.packages.runtime_helpers import cmi12, course_with_package, event
from tests.utils import csv_download

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(english_interface):
    yield


@pytest.fixture
def setup(provider_a):
    return course_with_package(provider_page_of(provider_a))


@pytest.fixture
def trainer(setup):
    return UserFactory(full_name="Widyaiswara Satu", trainer_of=setup[0])


@pytest.fixture
def cohort(setup, trainer):
    return cohort_create(
        course=setup[0],
        name="Angkatan Paket",
        starts_on=timezone.localdate() - timedelta(days=3),
        ends_on=timezone.localdate() + timedelta(days=27),
        created_by=trainer,
    )


def members(cohort, trainer, package_lesson, count, *, start=0):
    """`count` learners in the cohort, each having scored 50, 51, ... in the package."""
    users = [UserFactory(full_name=f"Peserta {start + n:03d}") for n in range(count)]
    cohort_members_add(cohort=cohort, users=users, added_by=trainer)
    Enrollment.objects.filter(user__in=users).update(started_at=timezone.now() - timedelta(hours=1))
    for n, user in enumerate(users):
        runtime_commit(
            user=user,
            lesson=package_lesson,
            item=package_lesson.package.items[0]["identifier"],
            event_id=event(),
            committed_at=timezone.now(),
            cmi=cmi12("incomplete", raw=str(50 + start + n)),
            terminate=False,
        )
    return users


def test_the_package_lesson_is_a_score_column(cohort, trainer, setup):
    package_lesson = setup[2]
    lessons = selectors.course_lessons(cohort)
    scored = [lesson for lesson in lessons if lesson.scored]
    assert [(lesson.id, lesson.is_package) for lesson in scored] == [(package_lesson.pk, True)]


def test_scores_in_the_table_the_api_and_the_export(client_for, cohort, trainer, setup):
    package_lesson = setup[2]
    members(cohort, trainer, package_lesson, 2)
    client = client_for(trainer)

    html = client.get(reverse("cohorts:detail", args=[cohort.pk])).text
    assert package_lesson.title in html
    assert "<td>50</td>" in html and "<td>51</td>" in html

    api = client.get(f"/api/v1/cohorts/{cohort.pk}/progress").json()
    scores = sorted(row["quiz_scores"][0]["best_score"] for row in api["results"])
    assert scores == [50.0, 51.0]
    assert api["results"][0]["quiz_scores"][0]["kind"] == "package"

    header, *rows = csv_download(client.get(reverse("cohorts:export_csv", args=[cohort.pk])))
    assert header[-1] == f"Package score: {package_lesson.title}"
    assert sorted(row[-1] for row in rows) == ["50", "51"]


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


def test_queries_do_not_grow_with_the_learners(client_for, cohort, trainer, setup):
    package_lesson = setup[2]
    client = client_for(trainer)
    urls = [
        reverse("cohorts:detail", args=[cohort.pk]),
        reverse("cohorts:export_csv", args=[cohort.pk]),
        f"/api/v1/cohorts/{cohort.pk}/progress",
    ]
    members(cohort, trainer, package_lesson, 2)
    small = [_queries(client, url) for url in urls]
    members(cohort, trainer, package_lesson, 18, start=2)
    large = [_queries(client, url) for url in urls]
    assert small == large


def test_quiz_and_package_scores_in_one_query_and_the_lessons_in_three_then_one(
    cohort, trainer, setup, django_assert_num_queries
):
    from quizzes.factories import QuizPageFactory
    from quizzes.models import QuizAttempt

    course, _lesson, package_lesson = setup
    quiz = QuizPageFactory(parent=package_lesson.get_parent(), title="Kuis Kata Sandi")
    (learner,) = members(cohort, trainer, package_lesson, 1)
    enrollment = Enrollment.objects.get(user=learner)
    ScoState = package_lesson.attempts.model.scos.rel.related_model
    ScoState.objects.filter(attempt__enrollment=enrollment).update(score_scaled=0.66666)
    for number, score in enumerate(["83.33", "60"], start=1):
        QuizAttempt.objects.create(
            user=learner,
            quiz=quiz,
            enrollment=enrollment,
            number=number,
            status=QuizAttempt.Status.SUBMITTED,
            started_at=timezone.now(),
            submitted_at=timezone.now(),
            score=Decimal(score),
        )
    cohort = (
        type(cohort).objects.select_related("course", "course__outline_version").get(pk=cohort.pk)
    )

    # The lessons and their modules, then the cohort's due dates; once cached (per version of
    # the course's outline), the due dates only.
    for queries in (3, 1):
        with django_assert_num_queries(queries):
            lessons = selectors.course_lessons(cohort)
        assert [(lesson.title, lesson.is_quiz, lesson.is_package) for lesson in lessons] == [
            ("Pengantar", False, False),
            ("Paket Kata Sandi", False, True),
            ("Kuis Kata Sandi", True, False),
        ]
    with django_assert_num_queries(1):
        scores = selectors.lesson_scores([enrollment.pk])
    assert scores == {
        enrollment.pk: {quiz.pk: Decimal("83.33"), package_lesson.pk: Decimal("66.67")}
    }
    # Nobody on the page: nothing to read.
    with django_assert_num_queries(0):
        assert selectors.lesson_scores([]) == {}


def test_a_replaced_package_shows_no_score_until_the_learner_plays_the_new_one(
    cohort, trainer, setup, provider_a
):
    package_lesson = setup[2]
    [learner] = members(cohort, trainer, package_lesson, 1)
    enrollment = Enrollment.objects.get(user=learner)
    assert selectors.lesson_scores([enrollment.pk]) == {
        enrollment.pk: {package_lesson.pk: Decimal("50.00")}
    }

    package_lesson.package = PackageFactory(organization=package_lesson.package.organization)
    package_lesson.save_revision().publish()
    assert selectors.lesson_scores([enrollment.pk]) == {}

    runtime_commit(
        user=learner,
        lesson=type(package_lesson).objects.get(pk=package_lesson.pk),
        item=package_lesson.package.items[0]["identifier"],
        event_id=event(),
        committed_at=timezone.now(),
        cmi=cmi12("incomplete", raw="90"),
        terminate=False,
    )
    assert selectors.lesson_scores([enrollment.pk]) == {
        enrollment.pk: {package_lesson.pk: Decimal("90.00")}
    }
