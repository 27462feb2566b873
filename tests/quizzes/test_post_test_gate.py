"""A post-test opens once every required lesson is done (editors may turn that off): before
that, the page shows the start button disabled with the lessons left, and starting is refused
by the page and the API alike without spending an attempt. Pre-tests and practice quizzes are
never held back."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from courses.factories import (
    CourseCompetencyFactory,
    CoursePageFactory,
    LessonPageFactory,
    ModulePageFactory,
    provider_page_of,
)
from learners import progress, services
from learners.factories import UserFactory
from quizzes import services as quiz_services
from quizzes.factories import QuizPageFactory
from quizzes.models import QuizAttempt, QuizPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def course_parts(provider_a):
    """Two modules of two lessons (one optional), the post-test at the end, with the defaults."""
    course = CoursePageFactory(parent=provider_page_of(provider_a), title="Etika Pelayanan")
    CourseCompetencyFactory(page=course)
    first = ModulePageFactory(parent=course, title="Modul 1")
    second = ModulePageFactory(parent=course, title="Modul 2")
    lessons = [
        LessonPageFactory(parent=first, title="Asas pelayanan"),
        LessonPageFactory(parent=first, title="Bacaan pengayaan", required_for_completion=False),
        LessonPageFactory(parent=second, title="Standar pelayanan"),
    ]
    post_test = QuizPageFactory(parent=second, title="Ujian akhir", role=QuizPage.Role.POST_TEST)
    return course, lessons, QuizPage.objects.get(pk=post_test.pk)


@pytest.fixture
def learner(course_parts):
    user = UserFactory(email="siti@instansi.go.id")
    services.enrollment_create(user=user, course=course_parts[0])
    return user


@pytest.fixture
def client(learner):
    client = Client()
    client.force_login(learner)
    return client


def start_path(quiz) -> str:
    return reverse("quizzes:attempt_start", args=[quiz.pk])


def test_post_tests_require_the_lessons_by_default(course_parts):
    assert course_parts[2].requires_lessons_completed is True
    assert course_parts[2].opens_after_lessons is True


def test_starting_too_early_is_refused_with_the_lessons_left_and_costs_no_attempt(
    course_parts, learner, client
):
    _course, lessons, post_test = course_parts
    progress.lesson_complete(user=learner, lesson=lessons[0])

    response = client.post(start_path(post_test), follow=True)

    assert response.redirect_chain[-1][0] == post_test.url
    assert not QuizAttempt.objects.filter(quiz=post_test).exists()
    messages = [str(message) for message in response.context["messages"]]
    assert messages == ["Complete these lessons before starting the post-test: Standar pelayanan."]


def test_the_refusal_reads_in_indonesian_by_default(course_parts, learner):
    with translation.override("id"), pytest.raises(quiz_services.LessonsNotCompleted) as refused:
        quiz_services.attempt_start(user=learner, quiz=course_parts[2])
    assert refused.value.message == (
        "Selesaikan dulu pelajaran berikut sebelum memulai post-test: "
        "Asas pelayanan, Standar pelayanan."
    )
    assert not QuizAttempt.objects.exists()


def test_the_page_shows_the_start_button_disabled_with_the_reason(course_parts, learner, client):
    _course, lessons, post_test = course_parts
    page = client.get(post_test.url).content.decode()

    assert "The post-test opens once you have completed every lesson of the course." in page
    assert f'<a href="{lessons[0].url}">Asas pelayanan</a>' in page
    assert f'<a href="{lessons[2].url}">Standar pelayanan</a>' in page
    assert "Bacaan pengayaan</a>" not in page  # optional: not waited for
    assert 'disabled aria-describedby="quiz-locked-reason"' in page
    assert start_path(post_test) not in page


def test_the_post_test_opens_once_the_required_lessons_are_done(course_parts, learner, client):
    _course, lessons, post_test = course_parts
    for lesson in (lessons[0], lessons[2]):
        progress.lesson_complete(user=learner, lesson=lesson)

    page = client.get(post_test.url).content.decode()
    assert f'action="{start_path(post_test)}"' in page
    assert "quiz-locked-reason" not in page

    response = client.post(start_path(post_test))
    attempt = QuizAttempt.objects.get(quiz=post_test)
    assert response.url == reverse("quizzes:attempt", args=[attempt.pk])


def test_the_api_refuses_too_early_with_a_code_and_no_attempt(course_parts, learner, client):
    post_test = course_parts[2]
    response = client.post(f"/api/v1/quizzes/{post_test.pk}/attempts")

    assert response.status_code == 403
    assert response.json()["code"] == "lessons_left"
    assert "Asas pelayanan, Standar pelayanan" in response.json()["detail"]
    assert not QuizAttempt.objects.filter(quiz=post_test).exists()


def test_editors_may_open_the_post_test_at_any_time(course_parts, learner, client):
    post_test = course_parts[2]
    QuizPage.objects.filter(pk=post_test.pk).update(requires_lessons_completed=False)

    client.post(start_path(post_test))

    assert QuizAttempt.objects.filter(quiz=post_test).count() == 1


@pytest.mark.parametrize("role", [QuizPage.Role.PRE_TEST, QuizPage.Role.PRACTICE])
def test_pre_tests_and_practice_quizzes_are_never_held_back(role, course_parts, learner, client):
    """The option is on (its default) but only a post-test waits for the lessons."""
    course, _lessons, post_test = course_parts
    quiz = QuizPageFactory(parent=post_test.get_parent(), title=f"Kuis {role}", role=role)
    assert QuizPage.objects.get(pk=quiz.pk).requires_lessons_completed is True

    page = client.get(quiz.url).content.decode()
    assert "quiz-locked-reason" not in page
    client.post(start_path(quiz))
    assert QuizAttempt.objects.filter(quiz=quiz).count() == 1


def test_a_person_not_enrolled_is_told_to_enroll_not_which_lessons_are_left(course_parts):
    post_test = course_parts[2]
    stranger = UserFactory(email="tamu@instansi.go.id")
    client = Client()
    client.force_login(stranger)

    page = client.get(post_test.url).content.decode()
    assert "Only learners enrolled in the course can take this quiz." in page
    assert "quiz-locked-reason" not in page
    response = client.post(start_path(post_test), follow=True)
    messages = [str(message) for message in response.context["messages"]]
    assert messages == ["Enroll in this course before taking its quizzes."]
    assert not QuizAttempt.objects.exists()


def test_the_option_is_in_the_quiz_editor(course_parts, django_user_model):
    admin = django_user_model.objects.create_superuser(email="admin@lentera.id", password="x")
    client = Client()
    client.force_login(admin)
    page = client.get(f"/admin/pages/{course_parts[2].pk}/edit/").content.decode()
    assert 'name="requires_lessons_completed"' in page
