"""Reads that span relations: progress, "my learning", and which courses' JP count (the ledger
itself, with development records, is `development.ledger`).

Each selector loads what a page needs in a fixed number of queries, whatever the number of
enrollments, lessons or years.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache as once
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import connections, router
from django.db.models import (
    Case,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Length, RowNumber, Substr
from django.utils import timezone
from wagtail import hooks

from courses.models import CoursePage, LessonPage
from learners.models import Certificate, Enrollment, LessonCompletion, User
from learners.permissions import enrollments_decidable_by


def course_required_lesson_ids(course: CoursePage) -> set[int]:
    """The ids of a course's published lessons that count towards completion."""
    return set(
        LessonPage.objects.live()
        .descendant_of(course)
        .filter(required_for_completion=True)
        .values_list("pk", flat=True)
    )


def course_required_lesson_count(course: CoursePage) -> int:
    """How many published lessons of a course count towards completion: a new enrollment's
    `required_total` (one COUNT, whatever the number of lessons)."""
    return (
        LessonPage.objects.live().descendant_of(course).filter(required_for_completion=True).count()
    )


def learning_enrollments(*, user: User, course: CoursePage):
    """A learner's enrollments in which lessons count (active or completed), newest first."""
    return Enrollment.objects.filter(
        user=user,
        course=course,
        status__in=[Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED],
    ).order_by("-created_at")


def enrollment_completed_lesson_ids(enrollment: Enrollment) -> set[int]:
    return set(
        LessonCompletion.objects.filter(enrollment=enrollment).values_list("lesson_id", flat=True)
    )


#: Enrollments whose course is finished: their progress is 100 whatever the lessons say now (a
#: lesson made required since does not undo a completion).
FINISHED_STATUSES = (Enrollment.Status.COMPLETED, Enrollment.Status.EXPIRED)


def progress_percent(*, status: str, required: int, done: int) -> int:
    """A learner's progress in a course, in whole percent: the share of its `required`
    published lessons `done`, rounded half up, and 100 once the enrollment is finished.

    The one rule of every progress shown (my learning, course and lesson pages, the API, the
    trainer's dashboard, its exports and reminders). A course without required lessons cannot
    be completed by its lessons (`learners.progress.course_completion_rule_holds`), so its
    progress is 0 until the enrollment is finished, never 100 from the start.
    `progress_percent_expression` is the same rule computed by the database.
    """
    if status in FINISHED_STATUSES:
        return 100
    if not required:
        return 0
    # Integer arithmetic: Python's round() rounds half to even, SQL's half away from zero.
    return (200 * done + required) // (2 * required)


def progress_percent_expression(*, required: int, done: Expression) -> Case:
    """`progress_percent` over an `Enrollment` queryset, `done` being the expression that counts
    each enrollment's required lessons completed (the same integer arithmetic, so the database
    and Python agree to the unit on SQLite and PostgreSQL)."""
    share = (
        ExpressionWrapper(
            (done * Value(200) + Value(required)) / Value(2 * required),
            output_field=IntegerField(),
        )
        if required
        else Value(0)
    )
    return Case(
        When(status__in=FINISHED_STATUSES, then=Value(100)),
        default=share,
        output_field=IntegerField(),
    )


def stored_progress_expression() -> Case:
    """`progress_percent` of each row of an `Enrollment` queryset from its stored progress
    (`required_total`, `required_done`, kept by `learners.progress`): no completion is read."""
    return Case(
        When(status__in=FINISHED_STATUSES, then=Value(100)),
        When(required_total=0, then=Value(0)),
        default=ExpressionWrapper(
            (F("required_done") * Value(200) + F("required_total")) / (F("required_total") * 2),
            output_field=IntegerField(),
        ),
        output_field=IntegerField(),
    )


@dataclass
class CourseProgress:
    """A learner's position in one course: what is done and where to go next."""

    enrollment: Enrollment
    percent: int
    required_count: int
    completed_required_count: int
    completed_lesson_ids: set[int] = field(default_factory=set)
    next_lesson: LessonPage | None = None


def _opens_last_condition() -> Q | None:
    """Lessons a learner can start only once every other required lesson is done (a post-test
    that requires the lessons first), from the `lessons_opening_last` hook: the quizzes app
    owns quizzes, and learners does not import it."""
    conditions = [hook() for hook in hooks.get_hooks("lessons_opening_last")]
    return reduce(or_, conditions) if conditions else None


def _lessons_of(courses: list[CoursePage]) -> dict[int, list[LessonPage]]:
    """Published lessons of several courses in outline order, in one query, each annotated with
    `opens_last` (see `_opens_last_condition`)."""
    if not courses:
        return {}
    opens_last = _opens_last_condition()
    lessons = (
        LessonPage.objects.live()
        .filter(reduce(or_, (Q(path__startswith=course.path) for course in courses)))
        .only("id", "title", "path", "url_path", "depth", "required_for_completion")
        .annotate(
            opens_last=(
                Case(When(opens_last, then=Value(True)), default=Value(False))
                if opens_last is not None
                else Value(False)
            )
        )
        .order_by("path")
    )
    by_course_path = {course.path: course.pk for course in courses}
    grouped: dict[int, list[LessonPage]] = defaultdict(list)
    for lesson in lessons:
        course_id = by_course_path.get(lesson.path[: -2 * LessonPage.steplen])
        if course_id is not None:
            grouped[course_id].append(lesson)
    return grouped


def continue_lesson(lessons: list[LessonPage], *, done: set[int]) -> LessonPage | None:
    """Where "continue learning" leads, given a course's lessons in outline order (annotated
    with `opens_last`) and the ids of those done.

    The first required lesson not done, in course order, whatever page was opened last (a
    learner who peeked at the post-test is not sent back to it); a lesson that opens last
    (the post-test) only once no other required lesson is left; then the first optional lesson
    not done. None when nothing is left: the course page shows the completion instead.
    """
    left = [lesson for lesson in lessons if lesson.pk not in done]
    required = [lesson for lesson in left if lesson.required_for_completion]
    first_open = next((lesson for lesson in required if not lesson.opens_last), None)
    return first_open or next(iter(required), None) or next(iter(left), None)


def enrollments_progress(enrollments: list[Enrollment]) -> dict[int, CourseProgress]:
    """Progress of many enrollments (courses preloaded) in two queries."""
    lessons_by_course = _lessons_of([enrollment.course for enrollment in enrollments])
    completed: dict[int, set[int]] = defaultdict(set)
    for enrollment_id, lesson_id in LessonCompletion.objects.filter(
        enrollment__in=enrollments
    ).values_list("enrollment_id", "lesson_id"):
        completed[enrollment_id].add(lesson_id)

    progress = {}
    for enrollment in enrollments:
        lessons = lessons_by_course.get(enrollment.course_id, [])
        done = completed[enrollment.pk]
        required = [lesson for lesson in lessons if lesson.required_for_completion]
        done_required = sum(1 for lesson in required if lesson.pk in done)
        percent = progress_percent(
            status=enrollment.status, required=len(required), done=done_required
        )
        finished = enrollment.status in FINISHED_STATUSES
        progress[enrollment.pk] = CourseProgress(
            enrollment=enrollment,
            percent=percent,
            required_count=len(required),
            completed_required_count=done_required,
            completed_lesson_ids=done,
            next_lesson=None if finished else continue_lesson(lessons, done=done),
        )
    return progress


def enrollments_next_lessons(enrollments: list[Enrollment]) -> dict[int, LessonPage | None]:
    """Where "continue learning" leads in each of these open enrollments' courses, by
    `continue_lesson`'s rule, chosen by the database in one query whatever the courses' length
    (courses preloaded): each course's live lessons not done are ranked (required and not
    opening last, then required, then optional; each in course order) and the first is read.
    None where nothing is left."""
    if not enrollments:
        return {}
    enrollment_of = {enrollment.course.path: enrollment.pk for enrollment in enrollments}
    opens_last = _opens_last_condition()
    required_first = Q(required_for_completion=True)
    if opens_last is not None:
        required_first &= ~opens_last
    done = LessonCompletion.objects.filter(
        lesson_id=OuterRef("pk"), enrollment_id__in=list(enrollment_of.values())
    )
    lessons = (
        LessonPage.objects.live()
        .filter(reduce(or_, (Q(path__startswith=path) for path in enrollment_of)))
        .exclude(Exists(done))
        .only("id", "title", "path", "url_path", "depth")
        .annotate(
            # Lessons sit two levels below their course (a module between).
            course_path=Substr("path", 1, Length("path") - 2 * LessonPage.steplen),
            rank=Case(
                When(required_first, then=Value(0)),
                When(required_for_completion=True, then=Value(1)),
                default=Value(2),
            ),
        )
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("course_path")],
                order_by=[F("rank").asc(), F("path").asc()],
            )
        )
        .filter(place=1)
    )
    chosen = {enrollment_of[lesson.course_path]: lesson for lesson in lessons}
    return {enrollment.pk: chosen.get(enrollment.pk) for enrollment in enrollments}


def enrollments_stored_progress(enrollments: list[Enrollment]) -> dict[int, CourseProgress]:
    """Progress of many enrollments from their stored counts, without a query (for lists that
    show percentages, not the next lesson: the supervisor's team, HR's drill-down)."""
    return {
        enrollment.pk: CourseProgress(
            enrollment=enrollment,
            percent=progress_percent(
                status=enrollment.status,
                required=enrollment.required_total,
                done=enrollment.required_done,
            ),
            required_count=enrollment.required_total,
            completed_required_count=enrollment.required_done,
        )
        for enrollment in enrollments
    }


def missing_prerequisites(*, user: User, course: CoursePage) -> list[CoursePage]:
    """Prerequisite courses `user` has not completed (from the database, not the page's cluster)."""
    done = [Enrollment.Status.COMPLETED, Enrollment.Status.EXPIRED]
    completed_ids = (
        Enrollment.objects.filter(user=user, status__in=done).values("course_id")
        if user.is_authenticated
        else Enrollment.objects.none().values("course_id")
    )
    return list(
        CoursePage.objects.filter(required_for=course)
        .exclude(pk__in=completed_ids)
        .only("id", "title", "path", "url_path")
        .order_by("title")
    )


@once
def _course_enrollments_sql(database: str) -> str:
    """`enrollment_for_course`'s statement, written once per process: the learner's five latest
    enrollments in the course with the id of their certificate, if any. The ORM spent 0.6 ms of
    every course page building the same query with the certificate joined in (0.1 ms to run).
    Names from the models; parameters: the user's and the course's ids."""
    quote = connections[database].ops.quote_name
    enrollment, certificate = Enrollment._meta, Certificate._meta
    columns = ", ".join(f"e.{quote(field.column)}" for field in enrollment.concrete_fields)
    created_at = quote(enrollment.get_field("created_at").column)
    return (
        f"SELECT {columns}, c.{quote(certificate.pk.column)} AS certificate_pk "  # noqa: S608
        f"FROM {quote(enrollment.db_table)} e LEFT JOIN {quote(certificate.db_table)} c "
        f"ON c.{quote(certificate.get_field('enrollment').column)} = "
        f"e.{quote(enrollment.pk.column)} "
        f"WHERE e.{quote(enrollment.get_field('user').column)} = %s "
        f"AND e.{quote(enrollment.get_field('course').column)} = %s "
        f"ORDER BY e.{created_at} DESC LIMIT 5"
    )


def enrollment_for_course(*, user: User, course: CoursePage) -> Enrollment | None:
    """The enrollment a course page shows: an open one, else the latest."""
    if not user.is_authenticated:
        return None
    database = router.db_for_read(Enrollment)
    enrollments = list(
        Enrollment.objects.raw(_course_enrollments_sql(database), [user.pk, course.pk]).using(
            database
        )
    )
    certificate = Enrollment.certificate.related
    for enrollment in enrollments:
        # Known to have none: the page reads `enrollment.certificate` without a query. One it
        # has is read when shown (a completed course's panel), one query.
        if enrollment.certificate_pk is None:
            certificate.set_cached_value(enrollment, None)
    open_ones = [enrollment for enrollment in enrollments if enrollment.is_open]
    return (open_ones or enrollments or [None])[0]


def jp_target_for(user: User) -> tuple[int | None, bool]:
    """The yearly JP figure `user` is measured against, and whether it is a cap.

    PP 17/2020 art. 203 owes every PNS at least 20 JP a year (`LENTERA_JP_TARGET`); PPPK have a
    cap instead (`LENTERA_PPPK_JP_CAP`); non-ASN accounts have neither.
    """
    if user.account_kind == User.AccountKind.PNS:
        return settings.LENTERA_JP_TARGET, False
    if user.account_kind == User.AccountKind.PPPK:
        return settings.LENTERA_PPPK_JP_CAP, True
    return None, False


# Enrollments whose JP count: completed, and completed whose certificate has since expired.
JP_CREDITED_STATUSES = (Enrollment.Status.COMPLETED, Enrollment.Status.EXPIRED)


def jp_counting_enrollments() -> QuerySet[Enrollment]:
    """The enrollments whose JP count, for everyone: the courses' half of the one rule behind
    every JP figure (`development.ledger` adds the verified development records: the ledger,
    its CSV, `/api/v1/me/jp`, the SIASN export and the agency compliance report).

    A completed course counts (and keeps counting once its certificate expires: the JP were
    earned that year), unless its certificate was revoked: a revoked certificate is one the
    issuer withdrew (cheating, an error), so the learning it attests is no longer credited.
    A course that issues no certificate counts on completion alone.
    """
    return Enrollment.objects.filter(
        Q(certificate__isnull=True) | Q(certificate__revoked_at__isnull=True),
        status__in=JP_CREDITED_STATUSES,
        completed_at__isnull=False,
    )


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """[start, end) of a calendar year in the platform's time zone (TIME_ZONE), in which JP
    count: the one definition of the year for the ledger, the agency compliance report and
    the programme evaluation (`platform_date` is the same year for one moment)."""
    zone = timezone.get_default_timezone()
    return datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)


def platform_date(moment: datetime) -> date:
    """The day of `moment` in the platform's time zone, as `year_bounds` counts it (not in
    whatever time zone a request or task has activated): the year a completion counts in, and
    the dates a certificate prints."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def completed_enrollments(user: User) -> QuerySet[Enrollment]:
    """`user`'s enrollments whose JP count (`jp_counting_enrollments`), newest first."""
    return (
        jp_counting_enrollments()
        .filter(user=user)
        .select_related("course", "certificate")
        .order_by("-completed_at")
    )


@dataclass
class MyLearning:
    """Everything the "my learning" page shows but its JP block, which `development` (where
    courses and records meet in one ledger) brings with `{% my_jp %}`."""

    active: list[CourseProgress]
    pending: list[Enrollment]
    completed: list[Enrollment]
    certificates: list[Certificate]
    # Whether the person has studied here before, to greet them "welcome back" or "welcome".
    returning: bool = False


def my_learning(*, user: User) -> MyLearning:
    enrollments = list(
        Enrollment.objects.filter(user=user)
        .select_related("course", "certificate")
        .order_by("-created_at")
    )
    active = [e for e in enrollments if e.status == Enrollment.Status.ACTIVE]
    progress = enrollments_progress(active)
    return MyLearning(
        active=[progress[e.pk] for e in active],
        pending=[e for e in enrollments if e.status == Enrollment.Status.PENDING],
        completed=[
            e
            for e in enrollments
            if e.status in (Enrollment.Status.COMPLETED, Enrollment.Status.EXPIRED)
        ],
        certificates=[
            e.certificate for e in enrollments if getattr(e, "certificate", None) is not None
        ],
        # A lesson opened or a course completed: a new account, or one HR enrolled that has
        # not opened a lesson yet, is not welcomed "back".
        returning=any(e.last_visited_at or e.completed_at for e in enrollments),
    )


def enrollment_requests_for(user: User):
    """Pending requests `user` may decide (the rule: `learners.permissions`), for the queue."""
    return (
        enrollments_decidable_by(user)
        .select_related("user", "user__organization", "user__work_unit", "course")
        .order_by("created_at")
    )
