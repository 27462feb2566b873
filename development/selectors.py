"""Reads of development records: the learner's own, the verifier's queue, and the JP the
verified records give in a year, each in a fixed number of queries."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from development.models import DevelopmentRecord, FormRule
from development.permissions import verifier_q
from learners.models import User


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


def verified_jp_in_year(user: User, year: int) -> Decimal:
    """The JP `user`'s verified records give in `year` (by the activity's end date), each form's
    yearly cap applied: two queries whatever the number of records."""
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for row in (
        DevelopmentRecord.objects.filter(
            owner=user, status=DevelopmentRecord.Status.VERIFIED, end_date__year=year
        )
        .values("form_id")
        .annotate(total=Sum("jp"))
        .order_by()
    ):
        totals[row["form_id"]] = row["total"] or Decimal(0)
    if not totals:
        return Decimal("0.00")
    rules = rules_for_forms(form_ids=list(totals), organization_id=user.organization_id)
    total = Decimal(0)
    for form_id, jp in totals.items():
        rule = rules.get(form_id)
        if rule is not None and rule.max_jp_per_year is not None:
            jp = min(jp, rule.max_jp_per_year)
        total += jp
    return total.quantize(Decimal("0.01"))
