"""xAPI statements reach a real LRS (Ralph, tests/xapi/conftest.py) and are read back through its
own API: who, what, on which activity, with which result; once per record, whatever happens."""

import io
import json
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from courses.models import LessonPage, ModulePage
from development.factories import DevelopmentRecordFactory, form_of
from development.models import DevelopmentForm, DevelopmentRecord
from learners.factories import UserFactory
from learners.progress import lesson_complete
from learners.services import enrollment_create
from packages.factories import PackageFactory, PackageLessonPageFactory
from packages.models import PackageAttempt
from quizzes import services as quiz_services
from quizzes.factories import QuizPageFactory
from tests.quizzes.quiz_helpers import correct_answers
from xapi.daily import xapi_overdue_daily
from xapi.models import Actor, Delivery
from xapi.services import delivery_send
from xapi.statements import registration_for
from xapi.tasks import delivery_send_task

pytestmark = pytest.mark.django_db

ADL = "http://adlnet.gov/expapi/verbs/"


def lessons_of(course):
    return list(LessonPage.objects.live().descendant_of(course).order_by("path"))


def account_of(user) -> str:
    return str(Actor.objects.get(user=user).name)


class NotQueued:
    """A task stand-in that queues nothing (the certificate's PDF: seconds of font work)."""

    @staticmethod
    def enqueue(**kwargs):
        return None


def test_a_completed_course_reaches_the_lrs_as_registered_completed_and_earned(
    lrs, course_a, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr("learners.tasks.certificate_pdf_generate", NotQueued)
    learner = UserFactory(email="siti@instansi.go.id", nip="198609262015052001")
    with django_capture_on_commit_callbacks(execute=True):
        enrollment, _ = enrollment_create(user=learner, course=course_a)
    lessons = lessons_of(course_a)
    for lesson in lessons:
        with django_capture_on_commit_callbacks(execute=True):
            lesson_complete(user=learner, lesson=lesson)

    statements = lrs.statements_of(account_of(learner))
    verbs = Counter(statement["verb"]["id"] for statement in statements)
    assert verbs == {
        ADL + "registered": 1,
        ADL + "completed": len(lessons) + 1,
        "http://id.tincanapi.com/verb/earned": 1,
    }
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}
    course_id = "http://testserver" + course_a.url
    by_object = {statement["object"]["id"]: statement for statement in statements}
    for lesson in lessons:
        statement = by_object["http://testserver" + lesson.url]
        assert statement["verb"]["id"] == ADL + "completed"
        assert statement["context"]["contextActivities"]["parent"][0]["id"] == course_id
        assert statement["object"]["definition"]["name"]["id-id"] == lesson.title
    assert by_object[course_id]["result"]["extensions"][
        "http://testserver/xapi/extensions/jp"
    ] == float(course_a.jp)
    for statement in statements:
        assert statement["actor"]["account"] == {
            "homePage": "http://testserver",
            "name": account_of(learner),
        }
        assert statement["context"]["registration"] == registration_for(enrollment.pk)
    # UU 27/2022: the LRS learns no e-mail address, NIP or name.
    sent = json.dumps(statements)
    assert "siti@instansi.go.id" not in sent
    assert "198609262015052001" not in sent
    assert learner.full_name not in sent


def test_quiz_attempts_are_passed_or_failed_with_their_score(
    lrs, course_a, django_capture_on_commit_callbacks
):
    module = ModulePage.objects.child_of(course_a).first()
    quiz = QuizPageFactory(parent=module, title="Kuis Etika")
    learner = UserFactory()
    enrollment_create(user=learner, course=course_a)
    with django_capture_on_commit_callbacks(execute=True):
        attempt = quiz_services.attempt_start(user=learner, quiz=quiz)
        quiz_services.attempt_submit(user=learner, attempt=attempt, answers={})
    with django_capture_on_commit_callbacks(execute=True):
        attempt = quiz_services.attempt_start(user=learner, quiz=quiz)
        quiz_services.attempt_submit(user=learner, attempt=attempt, answers=correct_answers(quiz))

    statements = lrs.statements_of(account_of(learner))
    quiz_statements = {
        s["verb"]["id"]: s for s in statements if s["object"]["id"].endswith(quiz.url)
    }
    failed, passed = quiz_statements[ADL + "failed"], quiz_statements[ADL + "passed"]
    assert failed["result"]["success"] is False
    assert failed["result"]["score"] == {"scaled": 0.0, "raw": 0, "min": 0, "max": 1}
    assert passed["result"]["success"] is True
    assert passed["result"]["score"] == {"scaled": 1.0, "raw": 1, "min": 0, "max": 1}
    assert passed["object"]["definition"]["type"] == (
        "http://adlnet.gov/expapi/activities/assessment"
    )


def test_verified_non_classical_development_records_are_sent_and_others_are_not(
    lrs, django_capture_on_commit_callbacks
):
    learner = UserFactory()
    non_classical = DevelopmentForm.objects.filter(mode=DevelopmentForm.Mode.NON_CLASSICAL)[0]
    classical = DevelopmentForm.objects.filter(mode=DevelopmentForm.Mode.CLASSICAL)[0]
    with django_capture_on_commit_callbacks(execute=True):
        record = DevelopmentRecordFactory(owner=learner, form=non_classical, title="Magang")
        DevelopmentRecordFactory(owner=learner, form=classical)
        DevelopmentRecordFactory(
            owner=learner, form=classical, status=DevelopmentRecord.Status.VERIFIED
        )
    assert not Delivery.objects.exists()  # submitted records are claims, not yet learning
    record.status = DevelopmentRecord.Status.VERIFIED
    record.jp_credited = Decimal("12")
    record.decided_at = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        record.save()
        record.save()  # saved again while verified: still one statement

    (statement,) = lrs.statements_of(account_of(learner))
    assert statement["verb"]["id"] == ADL + "completed"
    assert statement["object"]["id"] == f"http://testserver/saya/pengembangan/{record.pk}/"
    assert statement["result"]["duration"] == "PT9H"
    assert statement["result"]["extensions"]["http://testserver/xapi/extensions/jp"] == 12.0
    assert Delivery.objects.get().source == Delivery.Source.DEVELOPMENT_RECORD


def test_a_package_launch_is_sent_as_launched(lrs, course_a, django_capture_on_commit_callbacks):
    module = ModulePage.objects.child_of(course_a).first()
    lesson = PackageLessonPageFactory(
        parent=module,
        title="Latihan Kata Sandi",
        package=PackageFactory(organization=course_a.provider),
    )
    learner = UserFactory()
    enrollment, _ = enrollment_create(user=learner, course=course_a)
    with django_capture_on_commit_callbacks(execute=True):
        PackageAttempt.objects.create(enrollment=enrollment, lesson=lesson, package=lesson.package)

    (statement,) = [
        s for s in lrs.statements_of(account_of(learner)) if s["verb"]["id"] == ADL + "launched"
    ]
    assert statement["object"]["id"] == "http://testserver" + lesson.url
    assert statement["context"]["registration"] == registration_for(enrollment.pk)


def test_sending_a_statement_twice_leaves_one_in_the_lrs(
    lrs, course_a, django_capture_on_commit_callbacks
):
    learner = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        enrollment_create(user=learner, course=course_a)
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.SENT
    # As if the LRS's answer had been lost: the same statement id goes again.
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.PENDING)
    delivery = delivery_send(delivery_id=delivery.pk)

    assert delivery.status == Delivery.Status.SENT
    assert delivery.attempts == 2
    statements = lrs.statements_of(account_of(learner))
    assert [s["id"] for s in statements] == [str(delivery.statement_id)]


def test_lrs_down_leaves_the_learner_unaffected_and_the_statement_is_sent_later(
    lrs, course_a, client_for, settings, django_capture_on_commit_callbacks
):
    settings.LENTERA_XAPI_ENDPOINT = "http://127.0.0.1:9/xAPI/"  # discard port: refused
    learner = UserFactory()
    enrollment_create(user=learner, course=course_a)
    lesson = lessons_of(course_a)[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(learner).post(f"/pelajaran/{lesson.pk}/selesai/")

    assert response.status_code == 302
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.attempts == 1
    assert "ConnectionError" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now()

    # Not yet due: a duplicate task waits its turn and sends nothing.
    assert delivery_send(delivery_id=delivery.pk).attempts == 1
    # The LRS is back; the daily job queues the overdue delivery again.
    settings.LENTERA_XAPI_ENDPOINT = lrs.endpoint
    Delivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        summary = xapi_overdue_daily(timezone.localdate())
    assert summary.startswith("1 overdue")
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert delivery.attempts == 2
    assert delivery.last_error == ""
    (statement,) = lrs.statements_of(account_of(learner))
    assert statement["object"]["id"] == "http://testserver" + lesson.url


def test_a_failed_attempt_reschedules_itself_later_with_a_capped_backoff(
    lrs, course_a, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.LENTERA_XAPI_ENDPOINT = "http://127.0.0.1:9/xAPI/"
    settings.LENTERA_TASK_RETRY_DELAY = 60
    settings.LENTERA_XAPI_RETRY_MAX_DELAY = 200
    from django_tasks import default_task_backend

    default_task_backend.clear()
    learner = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        enrollment_create(user=learner, course=course_a)
    (queued,) = default_task_backend.results
    assert queued.task.run_after is None
    delivery = Delivery.objects.get()
    waits = []
    for _ in range(3):
        now = timezone.now()  # the task's clock is a little later: waits are rounded
        Delivery.objects.update(next_attempt_at=None)
        delivery_send_task.call(delivery_id=delivery.pk)
        delivery.refresh_from_db()
        waits.append(round((delivery.next_attempt_at - now).total_seconds()))
        assert default_task_backend.results[-1].task.run_after == delivery.next_attempt_at
    assert waits == [60, 120, 200]
    assert delivery.attempts == 3
    default_task_backend.clear()


def test_backfill_sends_the_history_once(lrs, course_a, settings):
    settings.LENTERA_XAPI_ENDPOINT = ""  # off while the history is made
    learner = UserFactory()
    enrollment_create(user=learner, course=course_a)
    for lesson in lessons_of(course_a)[:2]:
        lesson_complete(user=learner, lesson=lesson)
    record = DevelopmentRecordFactory(
        owner=learner,
        form=form_of("nonklasikal-lainnya"),
        status=DevelopmentRecord.Status.VERIFIED,
    )
    assert not Delivery.objects.exists()

    settings.LENTERA_XAPI_ENDPOINT = lrs.endpoint
    output = io.StringIO()
    call_command("xapi_backfill", "--batch-size", "2", stdout=output)
    assert "sent: 4" in output.getvalue()
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 4
    call_command("xapi_backfill", stdout=output)  # again: nothing more

    statements = lrs.statements_of(account_of(learner))
    assert len(statements) == 4
    assert Counter(s["verb"]["id"] for s in statements) == {
        ADL + "registered": 1,
        ADL + "completed": 3,
    }
    assert Delivery.objects.get(source_id=str(record.pk)).attempts == 1
