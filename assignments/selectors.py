"""Reading assignments: a learner's state on an assignment page, the trainers' grading queues,
and who is told about a submission, each in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from assignments.models import AssignmentPage, Submission, SubmissionFile
from assignments.permissions import trainer_submissions_q
from cohorts.models import Cohort
from courses.models import CoursePage
from learners.models import CourseTrainer, Enrollment, LessonCompletion, User
from learners.selectors import learning_enrollments


def due_at(*, assignment: AssignmentPage, enrollment: Enrollment) -> datetime | None:
    """When the work is due for this enrollment: `due_days` after it started (or was made)."""
    if not assignment.due_days:
        return None
    start = enrollment.started_at or enrollment.created_at
    return start + timedelta(days=assignment.due_days)


@dataclass
class AssignmentState:
    """What an assignment page shows its visitor."""

    enrollment: Enrollment | None = None
    submissions: list[Submission] = field(default_factory=list)
    completed: bool = False
    due_at: datetime | None = None

    @property
    def latest(self) -> Submission | None:
        return self.submissions[0] if self.submissions else None

    @property
    def can_submit(self) -> bool:
        """A first submission, or a new version after the trainer returned the work or graded
        it below the pass mark; never once the lesson is completed."""
        if self.enrollment is None or self.completed:
            return False
        latest = self.latest
        return (
            latest is None
            or latest.status == Submission.Status.RETURNED
            or (latest.status == Submission.Status.GRADED and not latest.passed)
        )

    @property
    def is_late(self) -> bool:
        return self.due_at is not None and timezone.now() > self.due_at


def submissions_with_files(queryset: QuerySet[Submission]) -> QuerySet[Submission]:
    return queryset.prefetch_related(
        Prefetch("files", queryset=SubmissionFile.objects.order_by("pk"))
    )


def assignment_state(*, user: User, assignment: AssignmentPage, course: CoursePage | None):
    """The visitor's enrollment, their submissions (newest first, with files) and whether the
    lesson is completed: at most four queries."""
    if not user.is_authenticated or course is None:
        return AssignmentState()
    enrollment = learning_enrollments(user=user, course=course).first()
    if enrollment is None:
        return AssignmentState()
    submissions = list(
        submissions_with_files(
            Submission.objects.filter(enrollment=enrollment, assignment=assignment).select_related(
                "graded_by"
            )
        ).order_by("-version")
    )
    completed = LessonCompletion.objects.filter(
        enrollment=enrollment, lesson_id=assignment.pk
    ).exists()
    return AssignmentState(
        enrollment=enrollment,
        submissions=submissions,
        completed=completed,
        due_at=due_at(assignment=assignment, enrollment=enrollment),
    )


def _queue(queryset: QuerySet[Submission]) -> QuerySet[Submission]:
    return (
        queryset.filter(status=Submission.Status.SUBMITTED)
        .select_related("user", "assignment", "enrollment__course")
        .only(
            "enrollment__course__title",
            "pk",
            "version",
            "submitted_at",
            "late",
            "status",
            "user__full_name",
            "user__email",
            "assignment__title",
        )
        .annotate(file_count=Count("files"))
        .order_by("submitted_at", "pk")
    )


def course_queue(*, course: CoursePage) -> QuerySet[Submission]:
    """Submissions of the course awaiting grading, the oldest first."""
    return _queue(Submission.objects.filter(enrollment__course_id=course.pk))


def cohort_queue(*, cohort: Cohort) -> QuerySet[Submission]:
    """Submissions of the cohort's members awaiting grading, the oldest first."""
    return _queue(Submission.objects.filter(enrollment__cohort_membership__cohort_id=cohort.pk))


def trainer_queue(*, user: User) -> QuerySet[Submission]:
    """Submissions awaiting grading that `user` trains (courses and cohorts), the oldest first."""
    return _queue(Submission.objects.filter(trainer_submissions_q(user)))


def submission_for_trainer(*, user: User, pk: int) -> Submission | None:
    """A submission `user` may grade, with its learner, assignment, course and files."""
    return (
        submissions_with_files(
            Submission.objects.filter(trainer_submissions_q(user)).select_related(
                "user", "assignment", "enrollment__course", "graded_by"
            )
        )
        .filter(pk=pk)
        .first()
    )


def submission_file_for(*, user: User, pk: int) -> SubmissionFile | None:
    """A submitted file `user` may download: their own, or one of a learner they train."""
    files = SubmissionFile.objects.select_related("submission")
    own = files.filter(pk=pk, submission__user_id=user.pk).first()
    if own is not None:
        return own
    return files.filter(trainer_submissions_q(user, prefix="submission__"), pk=pk).first()


def trainers_of(*, enrollment: Enrollment) -> list[User]:
    """Who is told of a submission: the course's trainers and the trainers of the learner's
    cohort (one query)."""
    course_trainers = CourseTrainer.objects.filter(course_id=enrollment.course_id).values("user_id")
    cohort_trainers = Cohort.trainers.through.objects.filter(
        cohort__memberships__enrollment_id=enrollment.pk
    ).values("user_id")
    return list(
        User.objects.filter(is_active=True)
        .filter(pk__in=course_trainers.union(cohort_trainers))
        .order_by("pk")
    )
