"""Submitting an assignment and grading it: the one path the views (and the demo data) take.

Files are checked by extension, size and content (`content.forms.content_matches_extension`,
the check of Wagtail documents and development evidence) and stored privately. Grading at or
above the pass mark completes the lesson (`learners.progress.lesson_complete`, source
"assignment"), so progress, certificate and JP follow.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments.models import (
    FILE_TYPES,
    MAX_FILES,
    TEXT_MAX,
    AssignmentPage,
    Submission,
    SubmissionFile,
)
from assignments.selectors import due_at, trainers_of
from content.forms import content_matches_extension
from courses.models import CoursePage
from learners.models import LessonCompletion, User
from learners.progress import lesson_complete
from learners.selectors import learning_enrollments
from notifications.models import Notification
from notifications.services import notify, notify_many

_TWO_PLACES = Decimal("0.01")
#: The codes `submission_file_check` refuses a file with (the form shows them on its file field).
FILE_ERRORS = ("file_type", "file_size", "content_mismatch", "too_many_files")


def submission_file_check(*, assignment: AssignmentPage, file: UploadedFile) -> str:
    """The extension of an acceptable file; refuses a type the assignment does not allow, a
    file too large, or content that is not what its extension says."""
    name = file.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = [kind for kind in assignment.allowed_file_types if kind in FILE_TYPES]
    if extension == "jpeg":
        extension = "jpg"
    if extension not in allowed:
        raise ValidationError(
            _("Files must be one of these types: %(types)s.")
            % {"types": ", ".join(f".{kind}" for kind in allowed) or "—"},
            code="file_type",
        )
    if file.size > assignment.max_file_bytes:
        raise ValidationError(
            _("%(name)s is too large: at most %(size)s MB.")
            % {"name": name, "size": assignment.max_file_mb},
            code="file_size",
        )
    file.seek(0)
    head = file.read(2048)
    file.seek(0)
    if not content_matches_extension(extension, head):
        raise ValidationError(
            _(
                "The content of %(name)s is not a .%(extension)s file. Upload the original "
                "file, not a renamed one."
            )
            % {"name": name, "extension": extension},
            code="content_mismatch",
        )
    return extension


def _course_of(assignment: AssignmentPage) -> CoursePage:
    return CoursePage.objects.ancestor_of(assignment).defer_streamfields().get()


def submission_create(
    *, user: User, assignment: AssignmentPage, text: str = "", files: list[UploadedFile] = ()
) -> Submission:
    """Hand in work (a first version, or a new one after the trainer returned it or graded it
    below the pass mark). Late work is accepted and flagged. Tells the trainers."""
    text = (text or "").strip()
    files = list(files or [])
    errors = {}
    if text and not assignment.allow_text:
        errors["text"] = ValidationError(
            _("This assignment takes files only."), code="text_not_allowed"
        )
    if len(text) > TEXT_MAX:
        errors["text"] = ValidationError(
            _("The answer is too long: at most %(max)d characters.") % {"max": TEXT_MAX},
            code="text_too_long",
        )
    if files and not assignment.allowed_file_types:
        errors["files"] = ValidationError(
            _("This assignment takes a written answer only."), code="file_type"
        )
    elif len(files) > MAX_FILES:
        errors["files"] = ValidationError(
            _("Attach at most %(max)d files.") % {"max": MAX_FILES}, code="too_many_files"
        )
    else:
        file_errors = []
        for file in files:
            try:
                submission_file_check(assignment=assignment, file=file)
            except ValidationError as error:
                file_errors.append(error)
        if file_errors:
            errors["files"] = file_errors
    if not text and not files and not errors:
        errors["text"] = ValidationError(
            _("The submission is empty: write your answer or attach a file."), code="empty"
        )
    if errors:
        raise ValidationError(errors)
    if not assignment.live:
        raise ValidationError(_("This assignment is not published."), code="not_live")

    course = _course_of(assignment)
    written: list = []
    try:
        return _submission_store(
            user=user, assignment=assignment, course=course, text=text, files=files, written=written
        )
    except BaseException:
        # The rows rolled back: the files written for them go too.
        for storage, name in written:
            storage.delete(name)
        raise


def _submission_store(
    *,
    user: User,
    assignment: AssignmentPage,
    course: CoursePage,
    text: str,
    files: list[UploadedFile],
    written: list,
) -> Submission:
    with transaction.atomic():
        # Locking the enrollment serializes one learner's submissions in the course: two
        # concurrent submissions cannot both take the same version or both be awaiting grading.
        enrollment = learning_enrollments(user=user, course=course).select_for_update().first()
        if enrollment is None:
            raise ValidationError(
                _("Enroll in this course before submitting its assignments."),
                code="not_enrolled",
            )
        if LessonCompletion.objects.filter(enrollment=enrollment, lesson_id=assignment.pk).exists():
            raise ValidationError(
                _("You have already passed this assignment; nothing more to submit."),
                code="completed",
            )
        latest = (
            Submission.objects.filter(enrollment=enrollment, assignment=assignment)
            .order_by("-version")
            .first()
        )
        if latest is not None and not (
            latest.status == Submission.Status.RETURNED
            or (latest.status == Submission.Status.GRADED and not latest.passed)
        ):
            raise ValidationError(
                _(
                    "Your submission is waiting for the trainer. You can submit again once it "
                    "is returned to you."
                ),
                code="awaiting_grading",
            )
        now = timezone.now()
        due = due_at(assignment=assignment, enrollment=enrollment)
        submission = Submission(
            user=user,
            assignment=assignment,
            enrollment=enrollment,
            version=(latest.version + 1) if latest else 1,
            text=text,
            submitted_at=now,
            due_at=due,
            late=due is not None and now > due,
        )
        submission.full_clean(exclude=["user", "assignment", "enrollment"])
        submission.save()
        for file in files:
            extension = submission_file_check(assignment=assignment, file=file)
            stored = SubmissionFile(
                submission=submission,
                original_name=(file.name or "")[-255:],
                content_type=FILE_TYPES[extension],
                size=file.size,
            )
            stored.file.save(file.name, file, save=False)
            written.append((stored.file.storage, stored.file.name))
            stored.save()
        notify_many(
            recipients=trainers_of(enrollment=enrollment),
            kind=Notification.Kind.ASSIGNMENT_SUBMITTED,
            actor=user,
            subject=assignment.title,
            url=submission_grade_path(submission),
        )
    return submission


def _page_path(assignment: AssignmentPage) -> str:
    """The page's path on its site (notifications link to a path, never a full URL, which
    `Page.url` gives when several sites exist)."""
    parts = assignment.get_url_parts()
    return parts[2] if parts else ""


def submission_grade_path(submission: Submission) -> str:
    return reverse("assignments:grade", args=[submission.pk])


def _scores_cleaned(assignment: AssignmentPage, scores: dict, *, required: bool) -> dict:
    """{criterion id: points} for the assignment's criteria, each within 0..its maximum."""
    cleaned, errors = {}, {}
    for criterion in assignment.criteria():
        raw = scores.get(criterion["id"])
        if raw in (None, ""):
            if required:
                errors[criterion["id"]] = ValidationError(
                    _("Score every criterion."), code="score_missing"
                )
            continue
        try:
            points = int(raw)
        except (TypeError, ValueError):
            points = -1
        if not 0 <= points <= criterion["max_points"]:
            errors[criterion["id"]] = ValidationError(
                _("%(criterion)s takes 0 to %(max)d points.")
                % {"criterion": criterion["name"], "max": criterion["max_points"]},
                code="score_out_of_range",
            )
            continue
        cleaned[criterion["id"]] = points
    if errors:
        raise ValidationError(errors)
    return cleaned


def submission_grade(
    *,
    submission: Submission,
    grader: User,
    scores: dict,
    feedback: str = "",
    return_for_resubmission: bool = False,
) -> Submission:
    """Grade a submission on the rubric (or return it for resubmission, with feedback).

    Locks the submission: of two trainers grading at once, the second is told it was graded.
    A grade at or above the pass mark completes the lesson. Tells the learner."""
    feedback = (feedback or "").strip()
    assignment = submission.assignment
    if return_for_resubmission and not feedback:
        raise ValidationError(
            {
                "feedback": ValidationError(
                    _("Say what to change when you return the work."), code="feedback_required"
                )
            }
        )
    cleaned = _scores_cleaned(assignment, scores, required=not return_for_resubmission)
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.status != Submission.Status.SUBMITTED:
            raise ValidationError(
                _("This submission was already graded or returned, by %(name)s.")
                % {"name": locked.graded_by.full_name if locked.graded_by else "—"},
                code="already_graded",
            )
        max_points = assignment.max_points
        points = sum(cleaned.values())
        locked.criterion_scores = cleaned
        locked.feedback = feedback
        locked.graded_by = grader
        locked.graded_at = timezone.now()
        if return_for_resubmission:
            locked.status = Submission.Status.RETURNED
            locked.points = points if cleaned else None
            locked.max_points = max_points if cleaned else None
            locked.score = None
            locked.passed = False
        else:
            locked.status = Submission.Status.GRADED
            locked.points = points
            locked.max_points = max_points
            locked.score = (
                (Decimal(points) * 100 / max_points).quantize(_TWO_PLACES, ROUND_HALF_UP)
                if max_points
                else Decimal("100.00")
            )
            locked.passed = locked.score >= assignment.pass_mark
        locked.full_clean(exclude=["user", "assignment", "enrollment", "graded_by"])
        locked.save()
        if locked.passed:
            lesson_complete(
                user=locked.user,
                lesson=assignment,
                source=LessonCompletion.Source.ASSIGNMENT,
            )
        notify(
            recipient=locked.user,
            kind=Notification.Kind.ASSIGNMENT_GRADED,
            actor=grader,
            subject=assignment.title,
            url=_page_path(assignment),
        )
    return locked


def submissions_scrub(*, user: User) -> list[str]:
    """Privacy erasure: empty a person's answers and the feedback on them, delete their files'
    rows and return the stored names (deleted once the erasure commits). Versions, scores and
    statuses stay, anonymised with the account, for the course's results."""
    files = SubmissionFile.objects.filter(submission__user=user)
    names = [name for name in files.values_list("file", flat=True) if name]
    files.delete()
    Submission.objects.filter(user=user).update(text="", feedback="")
    return names
