"""Submitting and grading assignments (assignments.services)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assignments import services
from assignments.models import Submission, SubmissionFile
from learners.errors import InvalidCompletion
from learners.models import Enrollment, LessonCompletion
from learners.progress import lesson_complete
from notifications.models import Notification
from tests.assignments.conftest import pdf, scores

pytestmark = pytest.mark.django_db


def codes(error: ValidationError) -> set[str]:
    found = set()
    for errors in error.error_dict.values() if hasattr(error, "error_dict") else [error.error_list]:
        found |= {item.code for item in errors}
    return found


def test_submission_with_text_and_file_is_stored_privately_and_trainers_are_told(
    assignment, member, trainer, cohort_only_trainer, course_trainer, outsider
):
    submission = services.submission_create(
        user=member, assignment=assignment, text="Rencana saya", files=[pdf()]
    )

    assert submission.version == 1
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.late is False
    stored = submission.files.get()
    assert stored.original_name == "rencana.pdf"
    assert stored.content_type == "application/pdf"
    assert stored.file.name.startswith(f"assignments/{member.pk}/")
    assert "rencana" not in stored.file.name
    assert stored.file.storage.exists(stored.file.name)
    # Private storage: its location is not MEDIA_ROOT and it has no URL under MEDIA_URL.
    from django.conf import settings

    assert not str(stored.file.path).startswith(str(settings.MEDIA_ROOT))
    told = set(
        Notification.objects.filter(kind=Notification.Kind.ASSIGNMENT_SUBMITTED).values_list(
            "recipient_id", flat=True
        )
    )
    assert told == {trainer.pk, cohort_only_trainer.pk, course_trainer.pk}


def test_empty_submission_is_refused(assignment, member):
    with pytest.raises(ValidationError) as error:
        services.submission_create(user=member, assignment=assignment, text="   ")
    assert codes(error.value) == {"empty"}
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("program.exe", b"MZ\x90\x00"), "file_type"),
        (SimpleUploadedFile("laporan.pdf", b"<html><script>alert(1)</script>"), "content_mismatch"),
        (SimpleUploadedFile("foto.png", b"%PDF-1.4 not a png"), "content_mismatch"),
        (SimpleUploadedFile("besar.pdf", b"%PDF-" + b"0" * (1024 * 1024)), "file_size"),
        (SimpleUploadedFile("catatan.txt", b"teks biasa"), "file_type"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_saved(assignment, member, upload, code):
    with pytest.raises(ValidationError) as error:
        services.submission_create(
            user=member, assignment=assignment, text="ada teks", files=[pdf(), upload]
        )
    assert codes(error.value) == {code}
    assert not Submission.objects.exists()
    assert not SubmissionFile.objects.exists()


def test_a_learner_not_enrolled_cannot_submit(assignment, outsider):
    with pytest.raises(ValidationError) as error:
        services.submission_create(user=outsider, assignment=assignment, text="Halo")
    assert codes(error.value) == {"not_enrolled"}


def test_a_second_submission_waits_for_the_grade(assignment, member):
    services.submission_create(user=member, assignment=assignment, text="Versi satu")
    with pytest.raises(ValidationError) as error:
        services.submission_create(user=member, assignment=assignment, text="Versi dua")
    assert codes(error.value) == {"awaiting_grading"}
    assert Submission.objects.count() == 1


def test_late_work_is_accepted_and_flagged(assignment, member):
    Enrollment.objects.filter(user=member).update(
        started_at=timezone.now() - timedelta(days=assignment.due_days + 1)
    )
    submission = services.submission_create(user=member, assignment=assignment, text="Terlambat")
    assert submission.late is True
    assert submission.due_at < submission.submitted_at


def test_a_grade_at_the_pass_mark_completes_the_lesson_and_tells_the_learner(
    assignment, member, trainer
):
    submission = services.submission_create(user=member, assignment=assignment, text="Rencana")

    graded = services.submission_grade(
        submission=submission, grader=trainer, scores=scores(assignment, 3, 3), feedback="Bagus"
    )

    assert graded.status == Submission.Status.GRADED
    assert (graded.points, graded.max_points, str(graded.score)) == (6, 10, "60.00")
    assert graded.passed is True
    completion = LessonCompletion.objects.get(enrollment__user=member, lesson=assignment)
    assert completion.source == LessonCompletion.Source.ASSIGNMENT
    note = Notification.objects.get(kind=Notification.Kind.ASSIGNMENT_GRADED)
    assert (note.recipient_id, note.actor_id) == (member.pk, trainer.pk)


def test_a_grade_below_the_pass_mark_completes_nothing_and_a_new_version_is_allowed(
    assignment, member, trainer
):
    submission = services.submission_create(user=member, assignment=assignment, text="Rencana")
    graded = services.submission_grade(
        submission=submission, grader=trainer, scores=scores(assignment, 3, 1)
    )
    assert graded.passed is False
    assert not LessonCompletion.objects.filter(lesson=assignment).exists()
    second = services.submission_create(user=member, assignment=assignment, text="Perbaikan")
    assert second.version == 2


@pytest.mark.parametrize("points", [(6, 3), (-1, 3), ("lima", 3), (None, 3)])
def test_scores_outside_a_criterion_or_missing_are_refused(assignment, member, trainer, points):
    submission = services.submission_create(user=member, assignment=assignment, text="Rencana")
    with pytest.raises(ValidationError) as error:
        services.submission_grade(
            submission=submission, grader=trainer, scores=scores(assignment, *points)
        )
    assert codes(error.value) <= {"score_out_of_range", "score_missing"}
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.graded_by is None


def test_grading_twice_is_refused(assignment, member, trainer, cohort_only_trainer):
    submission = services.submission_create(user=member, assignment=assignment, text="Rencana")
    services.submission_grade(
        submission=submission, grader=trainer, scores=scores(assignment, 5, 5)
    )
    with pytest.raises(ValidationError) as error:
        services.submission_grade(
            submission=submission, grader=cohort_only_trainer, scores=scores(assignment, 1, 1)
        )
    assert codes(error.value) == {"already_graded"}
    submission.refresh_from_db()
    assert (submission.graded_by_id, submission.points) == (trainer.pk, 10)


def test_returned_work_is_resubmitted_as_a_new_version_and_the_old_one_kept(
    assignment, member, trainer
):
    first = services.submission_create(user=member, assignment=assignment, files=[pdf()])
    with pytest.raises(ValidationError) as error:
        services.submission_grade(
            submission=first, grader=trainer, scores={}, return_for_resubmission=True
        )
    assert codes(error.value) == {"feedback_required"}

    services.submission_grade(
        submission=first,
        grader=trainer,
        scores={},
        feedback="Tambahkan jadwal",
        return_for_resubmission=True,
    )
    second = services.submission_create(user=member, assignment=assignment, text="Dengan jadwal")

    first.refresh_from_db()
    assert first.status == Submission.Status.RETURNED
    assert first.files.count() == 1
    assert second.version == 2
    assert not LessonCompletion.objects.filter(lesson=assignment).exists()


def test_submitting_after_the_lesson_is_completed_is_refused(assignment, member, trainer):
    submission = services.submission_create(user=member, assignment=assignment, text="Rencana")
    services.submission_grade(
        submission=submission, grader=trainer, scores=scores(assignment, 5, 5)
    )
    Submission.objects.filter(pk=submission.pk).update(passed=False)  # even if shown as failed
    with pytest.raises(ValidationError) as error:
        services.submission_create(user=member, assignment=assignment, text="Lagi")
    assert codes(error.value) == {"completed"}


def test_the_learner_cannot_mark_an_assignment_done(assignment, member):
    with pytest.raises(InvalidCompletion):
        lesson_complete(user=member, lesson=assignment)


def test_privacy_scrub_empties_answers_and_deletes_files(assignment, member, trainer):
    submission = services.submission_create(
        user=member, assignment=assignment, text="Rahasia", files=[pdf()]
    )
    services.submission_grade(
        submission=submission, grader=trainer, scores=scores(assignment, 5, 5), feedback="Catatan"
    )
    stored = submission.files.get()

    names = services.submissions_scrub(user=member)

    assert names == [stored.file.name]
    submission.refresh_from_db()
    assert (submission.text, submission.feedback, submission.points) == ("", "", 10)
    assert not SubmissionFile.objects.exists()


def test_the_learner_is_told_with_a_path_to_the_page_even_with_several_sites(
    assignment, member, trainer
):
    from wagtail.models import Page, Site

    Site.objects.create(hostname="mitra.example.go.id", root_page=Page.get_first_root_node())
    submission = services.submission_create(user=member, assignment=assignment, text="Rencana")
    services.submission_grade(
        submission=submission, grader=trainer, scores=scores(assignment, 5, 5)
    )
    note = Notification.objects.get(kind=Notification.Kind.ASSIGNMENT_GRADED)
    assert note.url == assignment.get_url_parts()[2]
    assert note.url.startswith("/")
