"""Reads of development records: the learner's own, the verifier's queue and the rules, each in
a fixed number of queries. The JP they give are read in `development.ledger`."""

from django.db.models import Count, Q, QuerySet

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
