"""The learner's side of the reaction survey: "Course evaluations" from "my learning" lands on
the learner's own surveys; a self-paced course does not ask about a trainer, a trained course
offers "not applicable", and the results never count "not applicable" as a score."""

import re
from decimal import Decimal

import pytest

from evaluation.models import CourseEvaluation
from evaluation.selectors import course_reaction_summary, enrollment_is_facilitated
from learners import factories
from learners.factories import UserFactory
from learners.models import Enrollment

pytestmark = pytest.mark.django_db

SCORES = {"relevance": 5, "material_quality": 4, "platform": 3, "applicability": 5}
FACILITATION_QUESTION = "How well did the trainer or facilitator support your learning?"


def completed_enrollment(course, learner) -> Enrollment:
    """`learner` finished `course` just now, through the services."""
    return factories.completed_enrollment(user=learner, course=course)


@pytest.fixture
def learner(db):
    return UserFactory(email="peserta@instansi.go.id", full_name="Sari Peserta")


@pytest.fixture
def trained_course(course_b):
    UserFactory(email="pelatih@kb.go.id", trainer_of=course_b)
    return course_b


def test_the_link_on_my_learning_lands_on_the_learners_own_surveys(course_a, learner, client_for):
    enrollment = completed_enrollment(course_a, learner)
    client = client_for(learner)
    my_learning = client.get("/saya/").content.decode()
    link = re.search(r'<a href="([^"]+)">Course evaluations</a>', my_learning).group(1)

    page = client.get(link).content.decode()
    assert "Your evaluations" in page
    assert course_a.title in page
    assert f'href="/saya/evaluasi/{enrollment.pk}/"' in page
    # A learner who trains nothing sees no trainer's list, not even an empty one.
    assert "Results of the courses you train or edit" not in page
    assert "You do not train or edit any course." not in page


def test_an_evaluated_course_says_when_and_offers_no_second_survey(course_a, learner, client_for):
    enrollment = completed_enrollment(course_a, learner)
    client = client_for(learner)
    client.post(f"/saya/evaluasi/{enrollment.pk}/", SCORES)

    page = client.get("/saya/evaluasi/").content.decode()
    assert "Evaluated on" in page
    assert f'href="/saya/evaluasi/{enrollment.pk}/"' not in page


def test_a_trainer_finds_their_own_surveys_and_their_courses_results(
    course_a, trained_course, learner, client_for
):
    trainer = trained_course.trainers.get().user
    completed_enrollment(course_a, trainer)
    page = client_for(trainer).get("/saya/evaluasi/").content.decode()
    assert course_a.title in page
    assert "Results of the courses you train or edit" in page
    assert f"/saya/evaluasi/kursus/{trained_course.pk}/" in page


def test_a_self_paced_course_does_not_ask_about_a_trainer(course_a, learner, client_for):
    enrollment = completed_enrollment(course_a, learner)
    client = client_for(learner)
    url = f"/saya/evaluasi/{enrollment.pk}/"
    form = client.get(url).content.decode()
    assert "How relevant was the course" in form
    assert FACILITATION_QUESTION not in form

    client.post(url, SCORES)

    evaluation = CourseEvaluation.objects.get(enrollment=enrollment)
    assert evaluation.facilitation is None
    assert evaluation.relevance == 5


def test_a_trained_course_asks_with_not_applicable_and_requires_an_answer(
    trained_course, learner, client_for
):
    enrollment = completed_enrollment(trained_course, learner)
    client = client_for(learner)
    url = f"/saya/evaluasi/{enrollment.pk}/"
    form = client.get(url).content.decode()
    assert FACILITATION_QUESTION in form
    assert 'value="na"' in form and "Not applicable" in form

    refused = client.post(url, SCORES)
    assert refused.status_code == 200
    assert "or &quot;not applicable&quot;" in refused.content.decode()
    assert not CourseEvaluation.objects.filter(enrollment=enrollment).exists()

    client.post(url, SCORES | {"facilitation": "na"})
    assert CourseEvaluation.objects.get(enrollment=enrollment).facilitation is None


def test_a_trained_course_keeps_a_facilitation_score(trained_course, learner, client_for):
    enrollment = completed_enrollment(trained_course, learner)
    client_for(learner).post(f"/saya/evaluasi/{enrollment.pk}/", SCORES | {"facilitation": "2"})
    assert CourseEvaluation.objects.get(enrollment=enrollment).facilitation == 2


def test_classroom_and_cohort_courses_count_as_facilitated(course_a, learner):
    enrollment = completed_enrollment(course_a, learner)
    assert enrollment_is_facilitated(enrollment) is False
    course_a.learning_mode = "workshop"
    assert enrollment_is_facilitated(enrollment) is True


def test_results_never_count_not_applicable_as_a_score(trained_course, editor_b, client_for):
    for facilitation in ("4", "na", "na"):
        learner = UserFactory()
        enrollment = completed_enrollment(trained_course, learner)
        client_for(learner).post(
            f"/saya/evaluasi/{enrollment.pk}/", SCORES | {"facilitation": facilitation}
        )

    summary = course_reaction_summary(course=trained_course)
    facilitation = next(score for score in summary.scores if score.name == "facilitation")
    assert summary.responses == 3
    assert facilitation.average == Decimal("4.00")
    assert facilitation.distribution == [0, 0, 0, 1, 0]
    assert facilitation.bars[3] == (4, 1, 100)
    assert facilitation.not_applicable == 2

    page = client_for(editor_b).get(f"/saya/evaluasi/kursus/{trained_course.pk}/")
    row = re.search(r"Trainer and facilitation</th>(.*?)</tr>", page.content.decode(), re.S)
    assert "<td>4.00</td>" in row.group(1)
    assert row.group(1).rstrip().endswith("<td>2</td>")
