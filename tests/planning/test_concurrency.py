"""Racing requests on one plan (a double click, two tabs): one plan per year, and a plan decided
once. The plan row is locked while a decision or a change is made."""

from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from development.factories import form_of
from planning import services
from planning.factories import PlanItemFactory
from planning.models import DevelopmentPlan
from tests.utils import race

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("concurrent_database"),
]

YEAR = timezone.localdate().year


def test_racing_starts_make_one_plan(owner):
    outcomes = race(*[partial(services.plan_create, user=owner, year=YEAR) for _n in range(3)])
    plans = [outcome for outcome in outcomes if isinstance(outcome, DevelopmentPlan)]
    refusals = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert len(plans) == 1 and len(refusals) == 2
    assert DevelopmentPlan.objects.filter(user=owner, year=YEAR).count() == 1


def test_racing_decisions_decide_a_plan_once(owner, supervisor):
    plan = services.plan_create(user=owner, year=YEAR)
    PlanItemFactory(plan=plan, form=form_of("seminar"))
    services.plan_submit(plan=plan, user=owner)
    outcomes = race(
        partial(services.plan_agree, plan=plan, supervisor=supervisor),
        partial(services.plan_return, plan=plan, supervisor=supervisor, note="Tambah mentoring."),
        partial(services.plan_agree, plan=plan, supervisor=supervisor),
    )
    decided = [outcome for outcome in outcomes if isinstance(outcome, DevelopmentPlan)]
    assert decided, outcomes
    # One decision of the submitted plan; a later return may reopen an agreed one, never twice
    # from "submitted".
    events = AuditEvent.objects.filter(action=AuditEvent.Action.DEVELOPMENT_PLAN_DECIDED)
    assert events.filter(detail__from="submitted").count() == 1
