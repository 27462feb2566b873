"""Recommendations ("Disarankan untuk Anda"): what a signed-in learner could take next.

In order of strength: courses meeting the learner's endorsed learning needs, then courses for
the competency standard of their position, then what their organization took in the last
year. Someone with none of these gets the platform's most taken courses. Each course comes
once, with the reason of its strongest match, and never one the learner is taking, awaits or
has completed.

A course meets a competency at level L when it develops that competency at level L or above:
the needs report's "supply" rule (`evaluation.selectors.needs_report`), so a need
it counts as met is one we can recommend a course for.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from itertools import zip_longest
from typing import Literal

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from content.models import Competency
from content.translation import localize_listing, source_pages, translated_snippet_field
from courses.models import CourseCompetency, CoursePage, courses_for_listing
from evaluation.models import LearningNeed
from learners.models import Enrollment, PositionCompetency, User

DEFAULT_LIMIT = 6
#: Popularity counts the people who enrolled in the last twelve months.
POPULAR_DAYS = 365
#: Courses a learner is taking, awaits or has completed. Refused requests and withdrawals do
#: not count: the course may still be right for them.
TAKEN_STATUSES = (
    Enrollment.Status.PENDING,
    Enrollment.Status.ACTIVE,
    Enrollment.Status.COMPLETED,
    Enrollment.Status.EXPIRED,
)
PRIORITY_RANK = {
    LearningNeed.Priority.HIGH: 0,
    LearningNeed.Priority.MEDIUM: 1,
    LearningNeed.Priority.LOW: 2,
}

Kind = Literal["need", "position", "popular"]


@dataclass(frozen=True)
class Recommendation:
    """A course recommended to a learner and why, in the active language."""

    course: CoursePage
    reason: str
    kind: Kind


@dataclass(frozen=True)
class _Target:
    """A competency at a level the learner should reach, from a need or their position."""

    competency_id: int
    name: str
    level: int


def _round_robin(queues: Iterable[list[int]]) -> Iterator[int]:
    """The first course of each target, then the second of each...: one target with many
    courses does not crowd out the others."""
    for row in zip_longest(*queues):
        yield from (course_id for course_id in row if course_id is not None)


def recommendations_for(
    user: User | AnonymousUser, *, limit: int = DEFAULT_LIMIT
) -> list[Recommendation]:
    """Up to `limit` courses for `user`, strongest reason first; none for visitors.

    The queries are the same whatever the number of needs, position competencies or
    courses: the private sections, the needs, the position's standard, the matching courses,
    the organization, the popular courses available to the learner (their organization's
    ranking comes from the cache: `popularity`, counted again at most once an hour), then the
    cards' courses, competencies and covers.
    """
    if not user.is_authenticated or limit < 1:
        return []

    taken = Enrollment.objects.filter(user=user, status__in=TAKEN_STATUSES).values("course_id")
    # `public()` reads the view restrictions once, here; the querysets below reuse it.
    # Superseded courses (a regulation they rest on was replaced) are never recommended.
    available = (
        source_pages(CoursePage.objects.live().public())
        .filter(superseded=False)
        .exclude(pk__in=taken)
        .values("pk")
    )

    # The competency's name in the reader's language, read in the same queries.
    translated_name = translated_snippet_field(
        Competency, "name", key="competency__translation_key"
    )
    shown_name = (
        F("competency__name")
        if translated_name is None
        else Coalesce(translated_name, F("competency__name"))
    )
    needs = sorted(
        LearningNeed.objects.filter(user=user, status=LearningNeed.Status.ENDORSED).values(
            "competency_id", "target_level", "priority", "endorsed_at", shown_name=shown_name
        ),
        key=lambda need: (PRIORITY_RANK.get(need["priority"], 9), -need["endorsed_at"].timestamp()),
    )
    need_targets = [
        _Target(need["competency_id"], need["shown_name"], need["target_level"]) for need in needs
    ]
    position_targets = (
        [
            _Target(*row)
            for row in PositionCompetency.objects.filter(position_id=user.position_id)
            .order_by("competency__code")
            .values_list("competency_id", shown_name, "target_level")
        ]
        if user.position_id
        else []
    )

    # competency id -> [(level, course id)], closest level first.
    offers: dict[int, list[tuple[int, int]]] = defaultdict(list)
    competency_ids = {target.competency_id for target in need_targets + position_targets}
    if competency_ids:
        for competency_id, level, course_id in (
            CourseCompetency.objects.filter(competency_id__in=competency_ids, page__in=available)
            .order_by("target_level", "page__title", "page_id")
            .values_list("competency_id", "target_level", "page_id")
        ):
            offers[competency_id].append((level, course_id))

    # course id -> (kind, reason), in the order they are recommended.
    picks: dict[int, tuple[Kind, str]] = {}

    def pick(course_id: int, kind: Kind, reason: str) -> None:
        if len(picks) < limit and course_id not in picks:
            picks[course_id] = (kind, reason)

    for targets, kind, message in (
        (need_targets, "need", _("because you need %(competency)s level %(level)s")),
        (position_targets, "position", _("for your position: %(competency)s level %(level)s")),
    ):
        queues = [
            [
                course_id
                for level, course_id in offers[target.competency_id]
                if level >= target.level
            ]
            for target in targets
        ]
        reasons = {}
        for target, queue in zip(targets, queues, strict=True):
            for course_id in queue:
                reasons.setdefault(
                    course_id, message % {"competency": target.name, "level": target.level}
                )
        for course_id in _round_robin(queues):
            pick(course_id, kind, reasons[course_id])

    organization = user.organization if user.organization_id else None
    if organization is not None:
        scope: int | None = organization.pk
        reason = _("popular in %(organization)s") % {"organization": organization.short_name}
    elif not (need_targets or position_targets):
        scope = PLATFORM  # nothing to go on: what the whole platform takes
        reason = _("popular on Lentera")
    else:
        scope = None
    if scope is not None:
        # Sliced to `limit`, not to the places left: the query runs even when none are left,
        # so the count stays the same for few needs and many.
        popular = _popular(scope, user=user, available=available, exclude=list(picks))
        for course_id in popular[:limit]:
            pick(course_id, "popular", reason)

    listing = courses_for_listing(CoursePage.objects.filter(pk__in=list(picks)))
    # Their English titles and summaries under /en/ (one query more there, none in Indonesian).
    courses = {course.pk: course for course in localize_listing(listing)}
    return [
        Recommendation(course=courses[course_id], reason=reason, kind=kind)
        for course_id, (kind, reason) in picks.items()
        if course_id in courses
    ]


#: `_popular`'s scope for everyone on the platform (an organization's is its id).
PLATFORM = 0
#: How long an organization's popularity ranking is reused. A ranking over twelve months moves
#: little in an hour, and it is read on every learner's home and "my learning" page: recounting
#: it on each request was a third of the server's time under load. Invalidating it on every
#: enrollment instead would recount it on nearly every request of a big agency on a launch day,
#: exactly when it matters. What the learner took themself is never stale: it is read live.
POPULAR_CACHE_SECONDS = 60 * 60


def popularity_cache_key(scope: int) -> str:
    return f"recommendations:popular:{scope}"


def popularity(scope: int) -> dict[int, int]:
    """{course id: people} who enrolled over the last year in `scope` (an organization's id, or
    `PLATFORM`), refused requests apart; cached `POPULAR_CACHE_SECONDS` per scope."""
    key = popularity_cache_key(scope)
    ranking = cache.get(key)
    if ranking is None:
        since = timezone.now() - timedelta(days=POPULAR_DAYS)
        rows = Enrollment.objects.filter(created_at__gte=since).exclude(
            status=Enrollment.Status.REJECTED
        )
        if scope != PLATFORM:
            rows = rows.filter(user__organization_id=scope)
        ranking = dict(
            rows.order_by()
            .values("course_id")
            .annotate(people=Count("user", distinct=True))
            .values_list("course_id", "people")
        )
        cache.set(key, ranking, POPULAR_CACHE_SECONDS)
    return ranking


def _popular(scope: int, *, user: User, available: QuerySet, exclude: list[int]) -> list[int]:
    """Course ids most people in `scope` enrolled in over the last year, most first, then by
    title: the cached ranking (`popularity`), less `user` themself, among the courses
    available to them; one query.

    People count once per course; a refused request is no sign of popularity.
    """
    ranking = popularity(scope)
    candidates = [course_id for course_id in ranking if course_id not in set(exclude)]
    if not candidates:
        return []
    since = timezone.now() - timedelta(days=POPULAR_DAYS)
    own = Enrollment.objects.filter(
        user=user, course=OuterRef("pk"), created_at__gte=since
    ).exclude(status=Enrollment.Status.REJECTED)
    rows = (
        CoursePage.objects.filter(pk__in=available, id__in=candidates)
        .annotate(own=Exists(own))
        .values_list("pk", "title", "own")
    )
    counted = [(ranking[pk] - int(mine), title, pk) for pk, title, mine in rows]
    counted = [row for row in counted if row[0] > 0]
    counted.sort(key=lambda row: (-row[0], row[1], row[2]))
    return [pk for _people, _title, pk in counted]
