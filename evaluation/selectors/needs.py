"""Reads for learning needs: a learner's own, those to endorse, and the needs report with the
public feedback signal, in a fixed number of queries."""

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from content.models import Competency, Organization, with_competency_names
from courses.models import CourseCompetency
from evaluation.models import (
    LearningNeed,
    PublicFeedback,
    ServiceUnit,
)
from evaluation.selectors.results import rounded_decimal
from learners.models import User
from learners.permissions import organizations_administered
from learners.supervisors import confirmed_supervisor_q

#: The public signal counts feedback of the last year: the SKM survey is yearly.
PUBLIC_SIGNAL_DAYS = 365


def needs_of(user: User) -> QuerySet[LearningNeed]:
    """A learner's own needs, newest first, each competency under its name in the reader's
    language (`with_competency_names`)."""
    return with_competency_names(
        LearningNeed.objects.filter(user=user)
        .select_related("competency", "endorsed_by")
        .order_by("-created_at")
    )


def needs_to_decide(user: User) -> QuerySet[LearningNeed]:
    """Submitted needs `user` may endorse: their staff's, and their organization's as its admin.

    Never their own, even as an organization admin.
    """
    if not user.is_authenticated:
        return LearningNeed.objects.none()
    return with_competency_names(
        LearningNeed.objects.filter(status=LearningNeed.Status.SUBMITTED)
        .filter(
            Q(confirmed_supervisor_q("user__"), user__supervisor=user)
            | Q(user__organization__in=organizations_administered(user))
        )
        .exclude(user=user)
        .select_related("user", "user__organization", "user__work_unit", "competency")
        .order_by("submitted_at", "pk")
    )


def needs_decided_by(user: User, *, limit: int = 20) -> QuerySet[LearningNeed]:
    """The needs `user` decided most recently, as a record of their endorsements."""
    return with_competency_names(
        LearningNeed.objects.filter(endorsed_by=user)
        .select_related("user", "competency")
        .order_by("-endorsed_at")
    )[:limit]


@dataclass
class NeedsRow:
    """Demand for one competency at one target level against the catalog's supply.

    `target_level` is None for a competency that only the public signal points to.
    """

    competency_id: int
    code: str
    name: str
    target_level: int | None
    demand: int = 0
    high_priority: int = 0
    awaiting: int = 0
    supply: int = 0
    supply_titles: list[str] = field(default_factory=list)
    public_signal: int = 0

    @property
    def is_gap(self) -> bool:
        """Endorsed demand, or the public's signal, and no course to meet it."""
        return self.supply == 0 and (self.demand > 0 or self.public_signal > 0)


@dataclass
class OrganizationDemand:
    organization: str
    code: str
    name: str
    target_level: int
    demand: int


@dataclass
class UnitSignal:
    """One service unit's public feedback and the competencies its shortfalls point to."""

    unit_id: int
    unit: str
    organization: str
    responses: int
    average_rating: Decimal | None
    competencies: list[tuple[str, str, int]] = field(default_factory=list)


@dataclass
class NeedsReport:
    rows: list[NeedsRow]
    by_organization: list[OrganizationDemand]
    units: list[UnitSignal]
    recent_comments: list[dict]
    since: datetime

    @property
    def gaps(self) -> list[NeedsRow]:
        return [row for row in self.rows if row.is_gap]


def needs_report(
    *,
    organizations: QuerySet[Organization] | None = None,
    now: datetime | None = None,
    comments: int = 20,
) -> NeedsReport:
    """Demand (endorsed needs) by competency and target level against supply (live courses
    covering the competency at that level or above), with the public signal from feedback.

    `organizations` limits demand and the public signal to those organizations' people and
    units (None: all). Supply is the whole catalog: any provider's course meets a need.
    Seven queries, whatever the number of needs, courses or feedback.
    """
    since = (now or timezone.now()) - timedelta(days=PUBLIC_SIGNAL_DAYS)
    needs = LearningNeed.objects.all()
    feedback = PublicFeedback.objects.filter(created_at__gte=since)
    if organizations is not None:
        needs = needs.filter(user__organization__in=organizations)
        feedback = feedback.filter(unit__organization__in=organizations)

    rows: dict[tuple[int, int | None], NeedsRow] = {}
    competency_ids: set[int] = set()
    demand = (
        needs.filter(status__in=[LearningNeed.Status.ENDORSED, LearningNeed.Status.SUBMITTED])
        .values("competency_id", "target_level")
        .annotate(
            endorsed=Count("pk", filter=Q(status=LearningNeed.Status.ENDORSED)),
            high=Count(
                "pk",
                filter=Q(status=LearningNeed.Status.ENDORSED, priority=LearningNeed.Priority.HIGH),
            ),
            awaiting=Count("pk", filter=Q(status=LearningNeed.Status.SUBMITTED)),
        )
    )
    for item in demand:
        key = (item["competency_id"], item["target_level"])
        rows[key] = NeedsRow(
            competency_id=item["competency_id"],
            code="",
            name="",
            target_level=item["target_level"],
            demand=item["endorsed"],
            high_priority=item["high"],
            awaiting=item["awaiting"],
        )
        competency_ids.add(item["competency_id"])

    signal = dict(
        feedback.filter(aspects__competencies__isnull=False)
        .values("aspects__competencies")
        .annotate(responses=Count("pk", distinct=True))
        .order_by()
        .values_list("aspects__competencies", "responses")
    )
    for competency_id in signal:
        if not any(key[0] == competency_id for key in rows):
            rows[(competency_id, None)] = NeedsRow(
                competency_id=competency_id, code="", name="", target_level=None
            )
        competency_ids.add(competency_id)

    # Supply: one row per live course and competency (a course lists a competency once).
    supply: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for competency_id, level, title in (
        CourseCompetency.objects.filter(competency_id__in=competency_ids, page__live=True)
        .order_by("page__title")
        .values_list("competency_id", "target_level", "page__title")
    ):
        supply[competency_id].append((level, title))

    names = {
        pk: (code, name)
        for pk, code, name in Competency.objects.filter(pk__in=competency_ids).values_list(
            "pk", "code", "name"
        )
    }
    for (competency_id, level), row in rows.items():
        row.code, row.name = names.get(competency_id, ("", ""))
        titles = [
            title for course_level, title in supply[competency_id] if course_level >= (level or 0)
        ]
        row.supply = len(titles)
        row.supply_titles = titles
        row.public_signal = signal.get(competency_id, 0)

    by_organization = [
        OrganizationDemand(
            organization=item["user__organization__name"] or "—",
            code=item["competency__code"],
            name=item["competency__name"],
            target_level=item["target_level"],
            demand=item["endorsed"],
        )
        for item in needs.filter(status=LearningNeed.Status.ENDORSED)
        .values(
            "user__organization__name",
            "competency__code",
            "competency__name",
            "target_level",
        )
        .annotate(endorsed=Count("pk"))
        .order_by("user__organization__name", "competency__code", "target_level")
    ]

    units = {
        item["unit_id"]: UnitSignal(
            unit_id=item["unit_id"],
            unit=item["unit__name"],
            organization=item["unit__organization__name"],
            responses=item["responses"],
            average_rating=rounded_decimal(item["average"]),
        )
        for item in feedback.values("unit_id", "unit__name", "unit__organization__name")
        .annotate(responses=Count("pk"), average=Avg("rating"))
        .order_by("unit__organization__name", "unit__name")
    }
    for item in (
        feedback.filter(aspects__competencies__isnull=False)
        .values("unit_id", "aspects__competencies__code", "aspects__competencies__name")
        .annotate(responses=Count("pk", distinct=True))
        .order_by("unit_id", "-responses", "aspects__competencies__code")
    ):
        units[item["unit_id"]].competencies.append(
            (
                item["aspects__competencies__code"],
                item["aspects__competencies__name"],
                item["responses"],
            )
        )

    recent = list(
        feedback.exclude(comment="")
        .order_by("-created_at")
        .values("unit__name", "rating", "comment", "created_at")[:comments]
    )
    ordered = sorted(
        rows.values(),
        key=lambda row: (
            not row.is_gap,
            -row.demand,
            -row.public_signal,
            row.code,
            row.target_level or 0,
        ),
    )
    return NeedsReport(
        rows=ordered,
        by_organization=by_organization,
        units=list(units.values()),
        recent_comments=recent,
        since=since,
    )


def service_units_by_organization() -> list[tuple[Organization, list[ServiceUnit]]]:
    """The service units taking public feedback, grouped by organization, in one query."""
    units = (
        ServiceUnit.objects.filter(public=True)
        .select_related("organization")
        .order_by("organization__name", "organization_id", "name")
    )
    return [
        (organization, list(group))
        for organization, group in itertools.groupby(units, key=lambda unit: unit.organization)
    ]
