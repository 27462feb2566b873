""" "experienced": the lesson page's script tells that an enrolled learner read a plain lesson
(POST /api/v1/lessons/<id>/experienced), once per enrollment and lesson; the page itself writes
nothing (issue 19), and carries the call only when xAPI is on."""

from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import LessonPage, ModulePage
from learners.factories import UserFactory
from learners.services import enrollment_create
from packages.factories import PackageFactory, PackageLessonPageFactory
from quizzes.factories import QuizPageFactory
from xapi.models import Actor, Delivery
from xapi.statements import registration_for

pytestmark = pytest.mark.django_db

EXPERIENCED = "http://adlnet.gov/expapi/verbs/experienced"
BEACON = "data-xapi-experienced="


def url_of(lesson) -> str:
    return f"/api/v1/lessons/{lesson.pk}/experienced"


@pytest.fixture
def reader(course_a):
    learner = UserFactory()
    enrollment, _ = enrollment_create(user=learner, course=course_a)
    lesson = LessonPage.objects.live().descendant_of(course_a).exact_type(LessonPage).first()
    return learner, enrollment, lesson


def test_an_enrolled_learner_reading_a_lesson_is_told_once(
    lrs, reader, course_a, client_for, django_capture_on_commit_callbacks
):
    learner, enrollment, lesson = reader
    client = client_for(learner)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url_of(lesson))
    second = client.post(url_of(lesson))

    assert (first.status_code, second.status_code) == (204, 204)
    delivery = Delivery.objects.get(source=Delivery.Source.LESSON_EXPERIENCED)
    assert delivery.source_id == f"{enrollment.pk}:{lesson.pk}"
    assert delivery.status == Delivery.Status.SENT
    account = str(Actor.objects.get(user=learner).name)
    (statement,) = [s for s in lrs.statements_of(account) if s["verb"]["id"] == EXPERIENCED]
    assert statement["object"]["id"] == "http://testserver" + lesson.url
    assert statement["object"]["definition"]["name"]["id-id"] == lesson.title
    assert statement["context"]["registration"] == registration_for(enrollment.pk)
    assert statement["context"]["contextActivities"]["parent"][0]["id"] == (
        "http://testserver" + course_a.url
    )
    # When the learner had read it long enough: the delivery's creation.
    assert datetime.fromisoformat(statement["timestamp"]) == delivery.created_at


def test_refusals_write_nothing(lrs, reader, course_a, course_b, client, client_for):
    learner, _enrollment, lesson = reader
    module = ModulePage.objects.child_of(course_a).first()
    quiz = QuizPageFactory(parent=module)
    package_lesson = PackageLessonPageFactory(
        parent=module, package=PackageFactory(organization=course_a.provider)
    )
    other_course_lesson = LessonPage.objects.live().descendant_of(course_b).first()
    signed_in = client_for(learner)

    not_enrolled = client_for(UserFactory()).post(url_of(lesson))
    assert not_enrolled.status_code == 403
    assert not_enrolled.json()["code"] == "not_enrolled"
    assert not_enrolled.json()["detail"] == (
        "Daftarlah di kursus ini agar pembacaan pelajarannya tercatat."
    )
    assert signed_in.post(url_of(other_course_lesson)).status_code == 403
    for not_plain in (quiz, package_lesson):
        response = signed_in.post(url_of(not_plain))
        assert response.status_code == 404
        assert response.json()["code"] == "not_a_plain_lesson"
    lesson.unpublish()
    assert signed_in.post(url_of(lesson)).json()["code"] == "lesson_unavailable"
    assert client.post(url_of(lesson)).status_code == 401
    assert signed_in.get(url_of(lesson)).status_code == 405
    assert not Delivery.objects.exists()


def test_with_xapi_off_the_call_answers_204_and_writes_nothing(reader, client_for, settings):
    settings.LENTERA_XAPI_ENDPOINT = ""
    learner, _enrollment, lesson = reader
    assert client_for(learner).post(url_of(lesson)).status_code == 204
    assert not Delivery.objects.exists()


def test_the_lesson_page_carries_the_call_only_when_xapi_is_on_and_writes_nothing(
    reader, course_a, client_for, settings
):
    learner, _enrollment, lesson = reader
    quiz = QuizPageFactory(parent=ModulePage.objects.child_of(course_a).first())
    client = client_for(learner)
    client.get(lesson.url)  # caches warmed (the outline, the shared lesson body)

    settings.LENTERA_XAPI_ENDPOINT = ""
    with CaptureQueriesContext(connection) as off:
        page = client.get(lesson.url)
    assert page.status_code == 200
    assert BEACON not in page.content.decode()

    settings.LENTERA_XAPI_ENDPOINT = "http://lrs.example/xAPI/"
    with CaptureQueriesContext(connection) as on:
        page = client.get(lesson.url)
    assert f'{BEACON}"{url_of(lesson)}"' in page.content.decode()
    assert len(on.captured_queries) == len(off.captured_queries)
    writes = [q["sql"] for q in on.captured_queries if not q["sql"].lstrip().startswith("SELECT")]
    assert writes == []
    assert not Delivery.objects.exists()
    # Not for a quiz, nor for someone not enrolled.
    assert BEACON not in client.get(quiz.url).content.decode()
    assert BEACON not in client_for(UserFactory()).get(lesson.url).content.decode()
