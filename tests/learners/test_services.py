"""Enrollment, progress, completion and certificates through the service layer."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.utils import timezone

from courses.factories import course_with_lessons, provider_page_of
from courses.models import LessonPage
from learners import certificate_services, errors, progress, services
from learners.factories import UserFactory
from learners.models import (
    Certificate,
    Enrollment,
    LearningRecord,
    LessonCompletion,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(db):
    return UserFactory(email="dewi@instansi.go.id", full_name="Dewi Lestari")


def lessons_of(course):
    return list(LessonPage.objects.live().descendant_of(course).order_by("path"))


def complete_all(user, course):
    result = None
    for lesson in lessons_of(course):
        result = progress.lesson_complete(user=user, lesson=lesson)
    return result


def test_open_course_enrolls_immediately_and_twice_is_harmless(learner, course_a):
    enrollment, created = services.enrollment_create(user=learner, course=course_a)
    assert created and enrollment.status == Enrollment.Status.ACTIVE
    again, created_again = services.enrollment_create(user=learner, course=course_a)
    assert again.pk == enrollment.pk and not created_again
    assert Enrollment.objects.count() == 1
    assert LearningRecord.objects.filter(verb="enrolled").count() == 1


def test_approval_course_waits_for_a_decision(learner, course_a):
    course_a.enrollment_policy = "approval"
    course_a.save()
    enrollment, _ = services.enrollment_create(user=learner, course=course_a)
    assert enrollment.status == Enrollment.Status.PENDING
    trainer = UserFactory(email="widyaiswara@lan.go.id", trainer_of=course_a)
    services.enrollment_decide(enrollment=enrollment, decided_by=trainer, approve=True)
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.ACTIVE and enrollment.started_at


def test_cohort_only_course_refuses_self_enrollment(learner, course_a):
    course_a.enrollment_policy = "cohort"
    course_a.save()
    with pytest.raises(errors.EnrollmentRefused) as refused:
        services.enrollment_create(user=learner, course=course_a)
    assert refused.value.code == "cohort_only"
    assert not Enrollment.objects.exists()


def test_prerequisites_are_enforced_with_their_names(learner, course_a, provider_a):
    advanced = course_with_lessons(provider_page=provider_page_of(provider_a), title="Lanjutan")
    advanced.prerequisites.add(course_a)
    advanced.save_revision().publish()
    with pytest.raises(errors.EnrollmentRefused) as refused:
        services.enrollment_create(user=learner, course=advanced)
    assert refused.value.code == "prerequisites"
    assert course_a.title in refused.value.message
    services.enrollment_create(user=learner, course=course_a)
    complete_all(learner, course_a)
    enrollment, created = services.enrollment_create(user=learner, course=advanced)
    assert created


def test_database_allows_one_open_enrollment_per_course(learner, course_a):
    Enrollment.objects.create(user=learner, course=course_a, status="active")
    with pytest.raises(IntegrityError):
        Enrollment.objects.create(user=learner, course=course_a, status="pending")


def test_lesson_complete_twice_keeps_one_record(learner, course_a):
    services.enrollment_create(user=learner, course=course_a)
    lesson = lessons_of(course_a)[0]
    first = progress.lesson_complete(user=learner, lesson=lesson)
    second = progress.lesson_complete(user=learner, lesson=lesson)
    assert first.created and not second.created
    assert LessonCompletion.objects.count() == 1
    assert first.course_progress_percent == 25


def test_cannot_complete_a_lesson_without_enrollment(learner, course_a):
    with pytest.raises(errors.NotEnrolled):
        progress.lesson_complete(user=learner, lesson=lessons_of(course_a)[0])
    assert not LessonCompletion.objects.exists()


def test_cannot_complete_an_unpublished_lesson(learner, course_a):
    services.enrollment_create(user=learner, course=course_a)
    lesson = lessons_of(course_a)[0]
    lesson.unpublish()
    lesson.refresh_from_db()
    with pytest.raises(errors.NotEnrolled):
        progress.lesson_complete(user=learner, lesson=lesson)


def test_completing_required_lessons_completes_course_and_issues_one_certificate(learner, course_a):
    services.enrollment_create(user=learner, course=course_a)
    result = complete_all(learner, course_a)
    assert result.course_completed
    enrollment = Enrollment.objects.get()
    assert enrollment.status == Enrollment.Status.COMPLETED
    assert enrollment.jp_credited == course_a.jp
    certificate = Certificate.objects.get()
    assert result.certificate == certificate
    assert certificate.serial.startswith(f"LTR/{timezone.localdate().year}/")
    assert len(certificate.code) >= 22
    # A lesson completed again after completion changes nothing.
    again = progress.lesson_complete(user=learner, lesson=lessons_of(course_a)[0])
    assert not again.created and Certificate.objects.count() == 1


def test_optional_lessons_do_not_block_completion(learner, course_a):
    optional = lessons_of(course_a)[-1]
    optional.required_for_completion = False
    optional.save_revision().publish()
    services.enrollment_create(user=learner, course=course_a)
    result = None
    for lesson in lessons_of(course_a)[:-1]:
        result = progress.lesson_complete(user=learner, lesson=lesson)
    assert result.course_completed


def test_certificate_fields_are_frozen_at_issue(learner, course_a):
    services.enrollment_create(user=learner, course=course_a)
    complete_all(learner, course_a)
    course_a.title = "Judul Baru"
    course_a.jp = Decimal("9")
    course_a.save_revision().publish()
    learner.full_name = "Nama Lain"
    learner.save()
    certificate = Certificate.objects.get()
    assert certificate.course_title == "Etika Pelayanan"
    assert certificate.jp == Decimal("2")
    assert certificate.holder_name == "Dewi Lestari"


def test_serials_are_distinct_for_simultaneous_issues(course_a):
    serials = set()
    for n in range(20):
        user = UserFactory(email=f"p{n}@instansi.go.id")
        services.enrollment_create(user=user, course=course_a)
        serials.add(complete_all(user, course_a).certificate.serial)
    assert len(serials) == 20


def test_event_id_makes_a_retry_a_no_op(learner, course_a):
    services.enrollment_create(user=learner, course=course_a)
    lesson = lessons_of(course_a)[0]
    event = uuid.uuid4()
    progress.lesson_complete(user=learner, lesson=lesson, event_id=event)
    retry = progress.lesson_complete(user=learner, lesson=lesson, event_id=event)
    assert not retry.created
    with pytest.raises(errors.InvalidCompletion) as reused:
        progress.lesson_complete(user=learner, lesson=lessons_of(course_a)[1], event_id=event)
    assert reused.value.code == "event_id_reused"


def test_offline_completion_time_is_validated(learner, course_a):
    enrollment, _ = services.enrollment_create(user=learner, course=course_a)
    lesson = lessons_of(course_a)[0]
    with pytest.raises(errors.InvalidCompletion):
        progress.lesson_complete(
            user=learner, lesson=lesson, completed_at=timezone.now() + timedelta(days=1)
        )
    with pytest.raises(errors.InvalidCompletion):
        progress.lesson_complete(
            user=learner, lesson=lesson, completed_at=enrollment.started_at - timedelta(days=1)
        )
    # Recorded offline last night, synced this morning.
    Enrollment.objects.filter(pk=enrollment.pk).update(
        started_at=timezone.now() - timedelta(days=3)
    )
    last_night = timezone.now() - timedelta(hours=10)
    result = progress.lesson_complete(user=learner, lesson=lesson, completed_at=last_night)
    assert result.completion.completed_at == last_night


def test_withdrawing_keeps_history_and_allows_enrolling_again(learner, course_a):
    enrollment, _ = services.enrollment_create(user=learner, course=course_a)
    progress.lesson_complete(user=learner, lesson=lessons_of(course_a)[0])
    services.enrollment_withdraw(enrollment=enrollment, user=learner)
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.WITHDRAWN
    assert enrollment.completions.count() == 1
    again, created = services.enrollment_create(user=learner, course=course_a)
    assert created and again.pk != enrollment.pk
    # Coming back resumes where the learner left off.
    assert again.completions.count() == 1


def test_expired_certificate_makes_learner_due_for_recertification(learner, course_a):
    course_a.certificate_valid_months = 12
    course_a.save_revision().publish()
    services.enrollment_create(user=learner, course=course_a)
    certificate = complete_all(learner, course_a).certificate
    assert certificate.valid_until is not None
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    assert services.enrollments_expire() == 1
    old = Enrollment.objects.get()
    assert old.status == Enrollment.Status.EXPIRED
    renewed, created = services.enrollment_create(user=learner, course=course_a)
    assert created and renewed.pk != old.pk
    assert Certificate.objects.count() == 1  # the old record is kept


def test_learning_records_are_append_only(learner, course_a):
    services.enrollment_create(user=learner, course=course_a)
    record = LearningRecord.objects.get()
    record.verb = "withdrew"
    with pytest.raises(ValueError):
        record.save()
    with pytest.raises(ValueError):
        record.delete()


def test_revoking_requires_a_reason_and_is_recorded(learner, course_a):
    services.enrollment_create(user=learner, course=course_a)
    certificate = complete_all(learner, course_a).certificate
    admin = UserFactory(email="admin@lan.go.id", is_superuser=True)
    with pytest.raises(errors.LearningError):
        certificate_services.certificate_revoke(
            certificate=certificate, revoked_by=admin, reason=" "
        )
    certificate_services.certificate_revoke(
        certificate=certificate, revoked_by=admin, reason="Data palsu"
    )
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revoked_by == admin
    assert LearningRecord.objects.filter(verb="certificate_revoked").exists()


def test_opening_a_lesson_records_nothing_and_continue_learning_starts_at_the_first_unfinished(
    learner, course_a, client
):
    services.enrollment_create(user=learner, course=course_a)
    first, _second, third = lessons_of(course_a)[:3]
    client.force_login(learner)
    client.get(third.url)
    enrollment = Enrollment.objects.get()
    assert enrollment.last_lesson_id is None and enrollment.last_visited_at is None
    from learners.selectors import enrollments_progress

    enrollment = Enrollment.objects.select_related("course").get()
    # Continue learning leads to the first lesson not done, not the page opened last.
    assert enrollments_progress([enrollment])[enrollment.pk].next_lesson.pk == first.pk


def test_the_holder_is_e_mailed_when_the_certificate_is_issued(
    learner, course_a, mailoutbox, django_capture_on_commit_callbacks
):
    services.enrollment_create(user=learner, course=course_a)
    with django_capture_on_commit_callbacks(execute=True):
        certificate = complete_all(learner, course_a).certificate
    certificate.refresh_from_db()
    assert certificate.pdf  # rendered by the background task
    [message] = [m for m in mailoutbox if certificate.serial in m.body]
    assert message.to == [learner.email]
    assert certificate.code in message.body
