"""Factories for development plans; used by the tests and the demo alike. A plan's life (submit,
agree, return) goes through `planning.services`, as a learner and their supervisor live it."""

from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone

from development.factories import form_of
from learners.factories import UserFactory
from planning.models import DevelopmentPlan, PlanItem


class DevelopmentPlanFactory(factory.django.DjangoModelFactory):
    """A draft plan for this year."""

    user = factory.SubFactory(UserFactory)
    year = factory.LazyFunction(lambda: timezone.localdate().year)

    class Meta:
        model = DevelopmentPlan


class PlanItemFactory(factory.django.DjangoModelFactory):
    """A planned seminar in the plan's year (give `course=...` and `form=None` for a course)."""

    plan = factory.SubFactory(DevelopmentPlanFactory)
    form = factory.LazyFunction(lambda: form_of("seminar"))
    title = factory.Sequence(lambda n: f"Seminar nasional {n}")
    target_date = factory.LazyAttribute(lambda o: date(o.plan.year, 6, 30))
    planned_jp = Decimal("4")

    class Meta:
        model = PlanItem
