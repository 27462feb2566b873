"""Reads of the supervisor's team: the people whose confirmed direct supervisor the user is
(`learners.supervisors.team_members`), each in a fixed number of queries whatever the size of
the team or the number of their records, needs and enrollments."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce

from coaching.models import CoachingAgreement
from content.models import with_competency_names
from development.ledger import JPLedger, jp_in_year, jp_ledger
from development.models import DevelopmentRecord
from evaluation.models import LearningNeed
from learners.models import Enrollment, User
from learners.permissions import enrollments_decidable_by
from learners.selectors import CourseProgress, enrollments_stored_progress, jp_target_for
from learners.supervisors import team_members


def _count_of(rows: QuerySet, owner_field: str) -> Coalesce:
    """How many of `rows` belong to the outer `User` row, as a correlated subquery (0 when none)."""
    counted = (
        rows.filter(**{owner_field: OuterRef("pk")})
        .order_by()
        .values(owner_field)
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(
        Subquery(counted, output_field=IntegerField()), Value(0), output_field=IntegerField()
    )


def team_of(user: User, year: int) -> QuerySet[User]:
    """The active people whose confirmed direct supervisor is `user`, by name, each with their
    `jp` in `year` (courses and verified records, as their own ledger counts them), their
    records waiting for verification (`records_waiting`), their learning needs waiting for
    endorsement (`needs_waiting`) and their active enrollments (`enrollments_active`): one
    query, however large the team."""
    return (
        team_members(user)
        .select_related("work_unit")
        .annotate(
            jp=jp_in_year(year),
            records_waiting=_count_of(
                DevelopmentRecord.objects.filter(status=DevelopmentRecord.Status.SUBMITTED),
                "owner",
            ),
            needs_waiting=_count_of(
                LearningNeed.objects.filter(status=LearningNeed.Status.SUBMITTED), "user"
            ),
            enrollments_active=_count_of(
                Enrollment.objects.filter(status=Enrollment.Status.ACTIVE), "user"
            ),
        )
        .order_by("full_name", "pk")
    )


def _average(values: list[int]) -> int | None:
    return round(sum(values) / len(values)) if values else None


def requests_of_team(user: User, member_ids: list[int]) -> list[Enrollment]:
    """Pending enrollment requests of these members that `user` decides (the rule:
    `learners.permissions.enrollments_decidable_by`), oldest first: one query."""
    if not member_ids:
        return []
    return list(
        enrollments_decidable_by(user)
        .filter(user_id__in=member_ids)
        .select_related("user", "course")
        .order_by("created_at", "pk")
    )


#: Members on one page of the team page (a supervisor of a whole unit has hundreds).
MEMBERS_PER_PAGE = 50
#: Enrollment requests shown on the team page, the oldest first; all of them are on
#: `learners:enrollment_requests`.
REQUESTS_SHOWN = 10


@dataclass
class Team:
    """The team page: one page of its members (annotated as `team_of`, plus `jp_target`,
    `jp_is_cap`, `progress_average` and `requests_pending`), the page (`page_obj`, whose
    paginator counts the whole team), the oldest enrollment requests to decide of the whole
    team and how many there are in all."""

    year: int
    members: list[User]
    page_obj: Page
    requests: list[Enrollment]
    requests_total: int


def team_overview(user: User, year: int, *, page_number=None) -> Team:
    """One page of `user`'s team for the team page: six queries whatever the size of the team
    or the page (the team's count; the page's ids; those members; their active enrollments with
    their stored progress; their pending requests per person; the oldest requests of the whole
    team with how many there are in all)."""
    page_obj = Paginator(
        team_members(user).order_by("full_name", "pk").values_list("pk", flat=True),
        MEMBERS_PER_PAGE,
    ).get_page(page_number)
    member_ids = list(page_obj.object_list)
    members = list(team_of(user, year).filter(pk__in=member_ids)) if member_ids else []
    active = (
        list(
            Enrollment.objects.filter(user_id__in=member_ids, status=Enrollment.Status.ACTIVE)
            .select_related("course")
            .order_by("pk")
        )
        if member_ids
        else []
    )
    progress = enrollments_stored_progress(active)
    percents: dict[int, list[int]] = {}
    for enrollment in active:
        percents.setdefault(enrollment.user_id, []).append(progress[enrollment.pk].percent)
    pending = (
        dict(
            enrollments_decidable_by(user)
            .filter(user_id__in=member_ids)
            .order_by()
            .values("user_id")
            .annotate(total=Count("pk"))
            .values_list("user_id", "total")
        )
        if member_ids
        else {}
    )
    team_requests = enrollments_decidable_by(user).filter(
        user_id__in=team_members(user).values("pk")
    )
    # The total rides on each row shown (a window over every request of the team, counted
    # before the LIMIT): no query more for it.
    requests = (
        list(
            team_requests.select_related("user", "course")
            .annotate(requests_total=Window(Count("pk")))
            .order_by("created_at", "pk")[:REQUESTS_SHOWN]
        )
        if page_obj.paginator.count
        else []
    )
    for member in members:
        member.jp_target, member.jp_is_cap = jp_target_for(member)
        member.progress_average = _average(percents.get(member.pk, []))
        member.requests_pending = pending.get(member.pk, 0)
    return Team(
        year=year,
        members=members,
        page_obj=page_obj,
        requests=requests,
        requests_total=requests[0].requests_total if requests else 0,
    )


def team_member(user: User, member_id: int) -> User | None:
    """One person of `user`'s confirmed team, or None (anyone else, `user` themself included)."""
    return (
        team_members(user)
        .select_related("organization", "work_unit", "position")
        .filter(pk=member_id)
        .first()
    )


@dataclass
class MemberOverview:
    """One team member's page: this year's ledger, their open enrollments with progress, what
    waits for the supervisor, and the coaching agreements between the two."""

    member: User
    ledger: JPLedger
    enrollments: list[CourseProgress]
    requests: list[Enrollment]
    records_waiting: list[DevelopmentRecord]
    needs_waiting: list[LearningNeed]
    agreements: list[CoachingAgreement] = field(default_factory=list)

    @property
    def progress_average(self) -> int | None:
        return _average(
            [
                row.percent
                for row in self.enrollments
                if row.enrollment.status == Enrollment.Status.ACTIVE
            ]
        )

    @property
    def jp_waiting(self) -> Decimal:
        return sum((record.jp for record in self.records_waiting), Decimal(0))


def member_overview(user: User, member: User, year: int) -> MemberOverview:
    """What the supervisor `user` sees of `member` (one of their team): nine queries whatever
    the number of records, enrollments, needs or sessions."""
    ledger = jp_ledger(user=member, year=year, with_uncounted=True)
    enrollments = list(
        Enrollment.objects.filter(user=member, status__in=Enrollment.OPEN_STATUSES)
        .select_related("course")
        .order_by("status", "-created_at", "pk")
    )
    progress = enrollments_stored_progress(enrollments)
    records_waiting = list(
        DevelopmentRecord.objects.filter(owner=member, status=DevelopmentRecord.Status.SUBMITTED)
        .select_related("form")
        .order_by("created_at", "pk")
    )
    needs_waiting = list(
        with_competency_names(
            LearningNeed.objects.filter(user=member, status=LearningNeed.Status.SUBMITTED)
            .select_related("competency")
            .order_by("submitted_at", "pk")
        )
    )
    agreements = list(
        CoachingAgreement.objects.filter(
            Q(coachee=member, coach=user) | Q(coachee=user, coach=member)
        )
        .annotate(
            session_count=Count("sessions", distinct=True),
            confirmed_count=Count(
                "sessions",
                filter=Q(
                    sessions__confirmed_by_coachee_at__isnull=False,
                    sessions__confirmed_by_coach_at__isnull=False,
                ),
                distinct=True,
            ),
        )
        .order_by("status", "-start_date", "-pk")
    )
    return MemberOverview(
        member=member,
        ledger=ledger,
        enrollments=[progress[enrollment.pk] for enrollment in enrollments],
        requests=requests_of_team(user, [member.pk]),
        records_waiting=records_waiting,
        needs_waiting=needs_waiting,
        agreements=agreements,
    )
