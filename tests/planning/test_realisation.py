"""A plan against its realisation: completed courses and verified records of the plan's year."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from development.factories import DevelopmentRecordFactory, form_of
from development.models import DevelopmentRecord
from planning.factories import DevelopmentPlanFactory, PlanItemFactory
from planning.selectors import plan_realisation

from .helpers import completion, course_developing

TODAY = timezone.localdate()
YEAR = TODAY.year


def _verified(owner, form_code, *, end: date, jp="4", competencies=()):
    record = DevelopmentRecordFactory(
        owner=owner,
        form=form_of(form_code),
        start_date=end,
        end_date=end,
        status=DevelopmentRecord.Status.VERIFIED,
        jp=Decimal(jp),
        jp_credited=Decimal(jp),
    )
    record.competencies.set(competencies)
    return record


def test_items_are_realised_by_completions_and_verified_records_of_the_year(
    owner, competencies, provider_a
):
    plan = DevelopmentPlanFactory(user=owner, year=YEAR)
    course = course_developing(provider_a, (competencies[0], 3))
    by_course = PlanItemFactory(plan=plan, form=None, course=course, planned_jp=Decimal("2"))
    seminar = PlanItemFactory(plan=plan, planned_jp=Decimal("4"))
    coaching = PlanItemFactory(
        plan=plan, form=form_of("coaching"), competency=competencies[1], planned_jp=Decimal("6")
    )
    unrealised = PlanItemFactory(plan=plan, form=form_of("workshop"), planned_jp=Decimal("8"))
    completion(owner, course, days_ago=0)
    _verified(owner, "seminar", end=TODAY - timedelta(days=1) if TODAY.day > 1 else TODAY)
    # Coaching of another competency does not realise the coaching planned for this one.
    _verified(owner, "coaching", end=TODAY, jp="3", competencies=[competencies[2]])
    # A workshop last year, or one not verified, realises nothing this year.
    _verified(owner, "workshop", end=date(YEAR - 1, 12, 31))
    DevelopmentRecordFactory(owner=owner, form=form_of("workshop"), end_date=TODAY)

    realisation = plan_realisation(plan, today=TODAY)
    realised = {row.item.pk: row.realised for row in realisation.items}
    assert realised == {
        by_course.pk: True,
        seminar.pk: True,
        coaching.pk: False,
        unrealised.pk: False,
    }
    assert realisation.planned_jp == Decimal("20")
    assert realisation.realised_jp == Decimal("2") + Decimal("4")
    assert realisation.items_realised == 2 and realisation.percent_items == 50
    assert not realisation.year_over

    _verified(owner, "coaching", end=TODAY, jp="3", competencies=[competencies[1]])
    assert plan_realisation(plan, today=date(YEAR + 1, 1, 5)).items_realised == 3
    assert plan_realisation(plan, today=date(YEAR + 1, 1, 5)).year_over


def test_one_activity_realises_one_planned_activity(owner, competencies, provider_a):
    """Two seminars planned and one attended is one of two; the one naming a competency takes
    the record of that competency, so a second seminar of any competency realises the other."""
    plan = DevelopmentPlanFactory(user=owner, year=YEAR)
    any_seminar = PlanItemFactory(plan=plan, planned_jp=Decimal("4"))
    PlanItemFactory(plan=plan, planned_jp=Decimal("4"), competency=competencies[0])
    _verified(owner, "seminar", end=TODAY, competencies=[competencies[0]])
    realisation = plan_realisation(plan, today=TODAY)
    assert realisation.items_realised == 1 and realisation.realised_jp == Decimal("4")
    assert not next(row for row in realisation.items if row.item == any_seminar).realised

    _verified(owner, "seminar", end=TODAY, competencies=[competencies[1]])
    realisation = plan_realisation(plan, today=TODAY)
    assert realisation.items_realised == 2 and realisation.realised_jp == Decimal("8")


@pytest.mark.parametrize("size", [1, 8])
def test_the_realisation_reads_in_a_fixed_number_of_queries(
    owner, competencies, provider_a, size, django_assert_num_queries
):
    plan = DevelopmentPlanFactory(user=owner, year=YEAR)
    for number in range(size):
        course = course_developing(provider_a, (competencies[0], 2))
        PlanItemFactory(plan=plan, form=None, course=course)
        completion(owner, course, days_ago=0)
        PlanItemFactory(plan=plan, competency=competencies[number % 3])
        _verified(owner, "seminar", end=TODAY, competencies=competencies)
    with django_assert_num_queries(3):
        realisation = plan_realisation(plan, today=TODAY)
        assert realisation.items_realised == 2 * size
