"""Following a path, its progress, and its completion: a course completed or a record verified
completes the path (once) and issues its certificate, whose PDF the course certificate's
drawing prints."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from development import services as development_services
from development.factories import DevelopmentRecordFactory, form_of
from development.models import DevelopmentRecord
from learners.certificate_services import certificate_revoke
from learners.factories import completed_enrollment
from paths.certificates import path_certificate_pdf_store
from paths.models import PathCertificate, PathEnrollment
from paths.selectors import path_progress
from paths.services import path_completion_check, path_follow, path_leave

pytestmark = pytest.mark.django_db


def _verified_mentoring(owner, supervisor, *, jp="4", title="Mentoring analisis kebijakan"):
    record = DevelopmentRecordFactory(
        owner=owner, form=form_of("mentoring"), title=title, jp=Decimal(jp)
    )
    return development_services.record_verify(record=record, verifier=supervisor)


def test_following_twice_makes_one_enrollment(path, learner):
    first = path_follow(user=learner, path=path)
    assert path_follow(user=learner, path=path) == first
    assert PathEnrollment.objects.filter(user=learner).count() == 1


def test_an_unpublished_path_cannot_be_followed(path, learner):
    path.unpublish()
    path.refresh_from_db()
    with pytest.raises(ValidationError):
        path_follow(user=learner, path=path)


def test_progress_counts_courses_completed_and_records_verified(
    path, learner, supervisor, course_a
):
    path_follow(user=learner, path=path)
    progress = path_progress(user=learner, path=path)
    assert (progress.required_done, progress.required_count, progress.percent) == (0, 2, 0)

    completed_enrollment(user=learner, course=course_a)
    progress = path_progress(user=learner, path=path)
    assert [state.done for state in progress.steps] == [True, False, False]
    assert progress.percent == 50
    assert not progress.complete


def test_a_record_below_the_minimum_jp_or_not_verified_does_not_count(
    path, learner, supervisor, course_a
):
    path_follow(user=learner, path=path)
    _verified_mentoring(learner, supervisor, jp="3")
    DevelopmentRecordFactory(owner=learner, form=form_of("mentoring"), jp=Decimal(8))
    DevelopmentRecordFactory(
        owner=learner, form=form_of("coaching"), jp=Decimal(8), status="verified"
    )
    assert [state.done for state in path_progress(user=learner, path=path).steps] == [
        False,
        False,
        False,
    ]


def test_completing_the_last_required_step_issues_the_certificate_once(
    path, learner, supervisor, course_a, django_capture_on_commit_callbacks, mailoutbox
):
    path_follow(user=learner, path=path)
    completed_enrollment(user=learner, course=course_a)
    assert not PathCertificate.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        _verified_mentoring(learner, supervisor)

    enrollment = PathEnrollment.objects.get(user=learner, path=path)
    assert enrollment.completed_at is not None
    certificate = enrollment.certificate
    assert certificate.serial.startswith("LTR-JB/")
    assert certificate.holder_name == "Dewi Lestari"
    assert certificate.path_title == path.title
    # The course's JP and the activity's minimum; the optional course was not done.
    assert certificate.jp == course_a.jp + Decimal(4)
    assert [step["kind"] for step in certificate.steps] == ["course", "activity"]
    # The PDF was rendered by the task queued on commit.
    certificate.refresh_from_db()
    assert certificate.pdf.name.endswith(".pdf")
    assert certificate.pdf.open("rb").read(4) == b"%PDF"
    # The holder was e-mailed, in Indonesian, with the public verification link.
    [mail] = [m for m in mailoutbox if "jalur" in m.subject.lower()]
    assert mail.to == [learner.email]
    assert certificate.serial in mail.body
    assert certificate.code in mail.body

    # Checking again (another record verified, a retried task) changes nothing.
    assert path_completion_check(user=learner) == []
    _verified_mentoring(learner, supervisor, title="Mentoring kedua")
    assert PathCertificate.objects.count() == 1


def test_steps_done_before_following_count(path, learner, supervisor, course_a):
    """A path recognizes what was done: following after the steps completes it at once."""
    completed_enrollment(user=learner, course=course_a)
    _verified_mentoring(learner, supervisor)
    assert not PathEnrollment.objects.exists()
    enrollment = path_follow(user=learner, path=path)
    assert enrollment.completed_at is not None
    assert PathCertificate.objects.filter(enrollment=enrollment).exists()


def test_a_record_counts_for_one_step_only(provider_a, learner, supervisor):
    from courses.factories import provider_page_of
    from paths.factories import activity_step, learning_path

    path = learning_path(
        provider_page=provider_page_of(provider_a),
        title="Dua kali mentoring",
        steps=[
            activity_step(form_of("mentoring"), min_jp=2),
            activity_step(form_of("mentoring"), min_jp=6),
        ],
    )
    path_follow(user=learner, path=path)
    _verified_mentoring(learner, supervisor, jp="6")
    assert [s.done for s in path_progress(user=learner, path=path).steps] == [False, True]
    _verified_mentoring(learner, supervisor, jp="2", title="Mentoring kedua")
    assert PathEnrollment.objects.get(path=path).completed_at is not None


def test_a_path_without_certificate_completes_without_one(path, learner, supervisor, course_a):
    path.certificate_enabled = False
    path.save_revision().publish()
    completed_enrollment(user=learner, course=course_a)
    _verified_mentoring(learner, supervisor)
    enrollment = path_follow(user=learner, path=path)
    assert enrollment.completed_at is not None
    assert not PathCertificate.objects.exists()


def test_leaving_an_open_path_deletes_the_enrollment_not_a_completed_one(
    path, learner, supervisor, course_a
):
    path_follow(user=learner, path=path)
    path_leave(user=learner, path=path)
    assert not PathEnrollment.objects.exists()
    completed_enrollment(user=learner, course=course_a)
    _verified_mentoring(learner, supervisor)
    path_follow(user=learner, path=path)
    with pytest.raises(ValidationError) as error:
        path_leave(user=learner, path=path)
    assert error.value.code == "completed"
    assert PathEnrollment.objects.count() == 1


def test_the_pdf_is_stored_once(path, learner, supervisor, course_a):
    completed_enrollment(user=learner, course=course_a)
    _verified_mentoring(learner, supervisor)
    certificate = path_follow(user=learner, path=path).certificate
    first = path_certificate_pdf_store(certificate_id=certificate.pk).pdf.name
    assert path_certificate_pdf_store(certificate_id=certificate.pk).pdf.name == first
    assert path_certificate_pdf_store(certificate_id=0) is None


def test_a_revoked_record_leaves_a_completed_path_completed(path, learner, supervisor, course_a):
    completed_enrollment(user=learner, course=course_a)
    record = _verified_mentoring(learner, supervisor)
    path_follow(user=learner, path=path)
    development_services.record_revoke(record=record, verifier=supervisor, reason="Ganda.")
    assert DevelopmentRecord.objects.get(pk=record.pk).status == "revoked"
    assert PathEnrollment.objects.get(path=path).completed_at is not None


def test_a_course_whose_certificate_was_revoked_does_not_complete_its_step(
    path, learner, supervisor, course_a
):
    """A revoked certificate no longer attests the learning (the rule of every JP figure,
    `learners.selectors.jp_counting_enrollments`): its course is no step done, and the path
    issues no certificate on it."""
    enrollment = completed_enrollment(user=learner, course=course_a)
    certificate_revoke(
        certificate=enrollment.certificate, revoked_by=supervisor, reason="Plagiarisme"
    )
    path_follow(user=learner, path=path)
    _verified_mentoring(learner, supervisor)

    progress = path_progress(user=learner, path=path)
    assert [state.done for state in progress.steps] == [False, True, False]
    assert not PathCertificate.objects.filter(enrollment__user=learner).exists()
