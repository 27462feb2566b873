"""Reads of development records: the learner's own, the verifier's queue and the rules, each in
a fixed number of queries. The JP they give are read in `development.ledger`."""

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from development.ledger import jp_in_year
from development.models import DevelopmentRecord, FormRule
from development.permissions import verifier_q
from learners.models import Enrollment, User
from learners.supervisors import confirmed_supervisor_q


def records_of(user: User) -> QuerySet[DevelopmentRecord]:
    """`user`'s own records, newest activity first, with their form and evidence count."""
    return (
        DevelopmentRecord.objects.filter(owner=user)
        .select_related("form")
        .annotate(evidence_count=Count("evidence_files"))
        .order_by("-end_date", "-pk")
    )


def records_to_verify(user: User) -> QuerySet[DevelopmentRecord]:
    """Submitted records `user` verifies: their confirmed team's and, as HR, their
    organizations' people's; never their own."""
    if not user.is_authenticated:
        return DevelopmentRecord.objects.none()
    return (
        DevelopmentRecord.objects.filter(status=DevelopmentRecord.Status.SUBMITTED)
        .filter(verifier_q(user))
        .exclude(owner=user)
        .select_related("owner", "owner__organization", "owner__work_unit", "form")
        .annotate(evidence_count=Count("evidence_files"))
        .order_by("created_at", "pk")
    )


def records_verifiable_by(user: User) -> QuerySet[DevelopmentRecord]:
    """Every record (any status) `user` may decide or revoke: the queue's people, all statuses."""
    if not user.is_authenticated:
        return DevelopmentRecord.objects.none()
    return DevelopmentRecord.objects.filter(verifier_q(user)).exclude(owner=user)


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
    records waiting for verification (`records_waiting`) and their active enrollments
    (`enrollments_active`): one query, however large the team."""
    if not user.is_authenticated:
        return User.objects.none()
    return (
        User.objects.filter(confirmed_supervisor_q(), supervisor=user, is_active=True)
        .exclude(pk=user.pk)
        .select_related("work_unit")
        .annotate(
            jp=jp_in_year(year),
            records_waiting=_count_of(
                DevelopmentRecord.objects.filter(status=DevelopmentRecord.Status.SUBMITTED),
                "owner",
            ),
            enrollments_active=_count_of(
                Enrollment.objects.filter(status=Enrollment.Status.ACTIVE), "user"
            ),
        )
        .order_by("full_name", "pk")
    )


def rules_for_forms(*, form_ids, organization_id: int | None) -> dict[int, FormRule]:
    """The rule of each form for `organization_id` (its own, else the national default), in one
    query."""
    rules: dict[int, FormRule] = {}
    candidates = FormRule.objects.filter(form_id__in=form_ids).filter(
        Q(organization__isnull=True) | Q(organization_id=organization_id)
    )
    for rule in candidates:
        if rule.form_id not in rules or rule.organization_id is not None:
            rules[rule.form_id] = rule
    return rules
