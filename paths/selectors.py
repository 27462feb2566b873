"""Reads of learning paths: a follower's progress along one or several paths, the paths a person
follows, the live paths, and the paths that answer a person's competency gaps.

A step is done when:
- a course step: the learner has a finished enrollment of the course (completed, or completed
  and since due for recertification);
- a non-classical step: the learner has a verified development record of the step's form whose
  JP reach the step's minimum. One record counts for one step only: two steps of the same form
  need two records.

Everything counts whenever it happened, before or after the learner started following the path:
a path recognizes what a person has done, and a course finished last year is not to be taken
again because the path was found today.

Every function here reads in a fixed number of queries whatever the number of steps or paths.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Substr
from wagtail.models import Page, PageViewRestriction

from content.models import with_competency_names
from content.translation import source_pages
from development.models import DevelopmentRecord
from learners.models import User
from learners.selectors import jp_counting_enrollments
from paths.models import LearningPathPage, LearningPathStep, PathEnrollment


@dataclass(frozen=True)
class StepState:
    """A step and whether the learner has done it."""

    step: LearningPathStep
    number: int
    done: bool


@dataclass
class PathProgress:
    """A learner's progress along one path."""

    path_id: int
    steps: list[StepState] = field(default_factory=list)
    enrollment: PathEnrollment | None = None

    @property
    def required(self) -> list[StepState]:
        return [state for state in self.steps if state.step.required]

    @property
    def required_done(self) -> int:
        return sum(1 for state in self.required if state.done)

    @property
    def required_count(self) -> int:
        return len(self.required)

    @property
    def optional_done(self) -> int:
        return sum(1 for state in self.steps if state.done and not state.step.required)

    @property
    def percent(self) -> int:
        """The share of the required steps done (optional steps never hold a path back)."""
        if not self.required_count:
            return 0
        return round(100 * self.required_done / self.required_count)

    @property
    def complete(self) -> bool:
        return bool(self.required_count) and self.required_done == self.required_count

    @property
    def following(self) -> bool:
        return self.enrollment is not None

    @property
    def jp(self) -> Decimal:
        """The JP of the steps done: the courses' JP and the activities' minimum."""
        return sum(
            (
                (state.step.course.jp if state.step.course_id else state.step.min_jp)
                for state in self.steps
                if state.done
            ),
            Decimal(0),
        )


def _steps_of(path_ids: Iterable[int]) -> dict[int, list[LearningPathStep]]:
    steps = defaultdict(list)
    for step in (
        LearningPathStep.objects.filter(page_id__in=list(path_ids))
        .select_related("course", "development_form")
        .order_by("page_id", "sort_order", "pk")
    ):
        steps[step.page_id].append(step)
    return steps


def _done_steps(user: User, steps: list[LearningPathStep]) -> set[int]:
    """The ids of `steps` (of any number of paths) that `user` has done, in two queries."""
    course_ids = {step.course_id for step in steps if step.course_id}
    form_ids = {step.development_form_id for step in steps if step.development_form_id}
    finished_courses = (
        set(
            # Completed courses whose certificate was not revoked: the rule every JP figure
            # follows (a revoked certificate no longer attests the learning).
            jp_counting_enrollments()
            .filter(user=user, course_id__in=course_ids)
            .values_list("course_id", flat=True)
        )
        if course_ids
        else set()
    )
    records = defaultdict(list)
    if form_ids:
        for form_id, jp in DevelopmentRecord.objects.filter(
            owner=user, form_id__in=form_ids, status=DevelopmentRecord.Status.VERIFIED
        ).values_list("form_id", "jp"):
            records[form_id].append(jp)
    done = {step.pk for step in steps if step.course_id in finished_courses}
    # Per path and form, the most demanding steps take the largest records; a record counts once.
    by_path_form = defaultdict(list)
    for step in steps:
        if step.development_form_id:
            by_path_form[(step.page_id, step.development_form_id)].append(step)
    for (_path_id, form_id), form_steps in by_path_form.items():
        available = sorted(records.get(form_id, []), reverse=True)
        for step in sorted(form_steps, key=lambda s: s.min_jp, reverse=True):
            if available and available[0] >= step.min_jp:
                available.pop(0)
                done.add(step.pk)
    return done


def paths_progress(*, user: User, path_ids: Iterable[int]) -> dict[int, PathProgress]:
    """`user`'s progress along each of the paths, in four queries for any number of paths and
    steps (steps, the user's enrollments in the paths, finished courses, verified records)."""
    path_ids = list(path_ids)
    steps_by_path = _steps_of(path_ids)
    enrollments = (
        {
            enrollment.path_id: enrollment
            for enrollment in PathEnrollment.objects.filter(
                user=user, path_id__in=path_ids
            ).select_related("certificate")
        }
        if user.is_authenticated
        else {}
    )
    all_steps = [step for steps in steps_by_path.values() for step in steps]
    done = _done_steps(user, all_steps) if user.is_authenticated else set()
    return {
        path_id: PathProgress(
            path_id=path_id,
            steps=[
                StepState(step=step, number=number, done=step.pk in done)
                for number, step in enumerate(steps_by_path.get(path_id, []), start=1)
            ],
            enrollment=enrollments.get(path_id),
        )
        for path_id in path_ids
    }


def path_progress(*, user: User, path: LearningPathPage) -> PathProgress:
    """`user`'s progress along one path (anyone signed out sees the steps, none done)."""
    return paths_progress(user=user, path_ids=[path.pk])[path.pk]


def live_paths() -> QuerySet[LearningPathPage]:
    """Published, public paths with what a listing shows (the target competency under its
    name in the reader's language)."""
    return with_competency_names(
        source_pages(LearningPathPage.objects.live())
        .public()
        .select_related("provider", "target_position", "target_competency")
        .order_by("title", "pk"),
        "target_competency",
    )


@dataclass(frozen=True)
class FollowedPath:
    path: LearningPathPage
    progress: PathProgress


def followed_paths(user: User) -> list[FollowedPath]:
    """The paths `user` follows (live ones, and completed ones even if since unpublished), with
    their progress: five queries for any number of paths and steps."""
    enrollments = list(
        PathEnrollment.objects.filter(user=user)
        .filter(Q(path__live=True) | Q(completed_at__isnull=False))
        .select_related("path", "certificate")
        .order_by("completed_at", "-started_at", "pk")
    )
    # The enrollments are already read: no need to read them again for the progress.
    steps_by_path = _steps_of(e.path_id for e in enrollments)
    all_steps = [step for steps in steps_by_path.values() for step in steps]
    done = _done_steps(user, all_steps)
    return [
        FollowedPath(
            path=enrollment.path,
            progress=PathProgress(
                path_id=enrollment.path_id,
                steps=[
                    StepState(step=step, number=number, done=step.pk in done)
                    for number, step in enumerate(steps_by_path.get(enrollment.path_id, []), 1)
                ],
                enrollment=enrollment,
            ),
        )
        for enrollment in enrollments
    ]


def _view_restricted() -> Exists:
    """Whether a page or one of its ancestors has a view restriction, as a subquery: Wagtail's
    `.public()` reads the restrictions in a query of its own first."""
    return Exists(
        PageViewRestriction.objects.annotate(
            prefix=Substr(OuterRef("path"), 1, F("page__depth") * Page.steplen)
        ).filter(prefix=F("page__path"))
    )


def paths_for_gaps(
    *, competency_levels: dict[int, int], position_id: int | None, limit: int = 3
) -> list[LearningPathPage]:
    """Live paths that answer a person's gaps, in one query, best first.

    `competency_levels` maps a competency id to the level the person must reach (their
    position's standard, where they fall short of it). A path matches when it targets one of
    those competencies at a level no higher than the one needed (it leads toward the standard,
    not beyond it), or when it targets the person's position `position_id`. Paths toward the
    position come first, then those reaching the highest level, then by title.
    """
    matches = Q()
    for competency_id, level in competency_levels.items():
        matches |= Q(target_competency_id=competency_id, target_level__lte=level)
    if position_id is not None:
        matches |= Q(target_position_id=position_id)
    if not matches:
        return []
    return list(
        with_competency_names(
            source_pages(LearningPathPage.objects.live()).filter(matches),
            "target_competency",
        )
        .exclude(_view_restricted())
        .annotate(
            for_position=Case(
                When(target_position_id=position_id, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
            if position_id is not None
            else Value(0, output_field=IntegerField())
        )
        .select_related("provider", "target_competency", "target_position")
        .order_by("-for_position", F("target_level").desc(nulls_last=True), "title", "pk")[:limit]
    )
