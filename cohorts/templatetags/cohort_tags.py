"""The cohort part of a course page: the learner's cohort and its due dates, or the cohorts
open to join (two queries at most); the header's staff links."""

from dataclasses import dataclass
from functools import cache as once

from django import template
from django.db import connections, router
from django.db.models import Q
from django.utils import timezone

from cohorts.models import Cohort, CohortLessonDue, CohortMembership
from cohorts.navigation import NavigationRoles, roles_for

register = template.Library()

OPEN_COHORTS_SHOWN = 5


@dataclass
class CourseCohorts:
    membership: CohortMembership | None
    dues: list[CohortLessonDue]
    open_cohorts: list[Cohort]


@register.simple_tag
def course_cohorts(course, enrollment) -> CourseCohorts:
    if enrollment is not None and enrollment.is_open:
        membership = _membership_of(enrollment)
        dues = (
            list(membership.cohort.lesson_dues.select_related("lesson").order_by("due_on"))
            if membership
            else []
        )
        return CourseCohorts(membership=membership, dues=dues, open_cohorts=[])
    if enrollment is not None and enrollment.status == enrollment.Status.COMPLETED:
        return CourseCohorts(membership=None, dues=[], open_cohorts=[])
    today = timezone.localdate()
    open_cohorts = list(
        Cohort.objects.filter(course=course, ends_on__gte=today)
        .filter(Q(enrollment_deadline__isnull=True) | Q(enrollment_deadline__gte=today))
        .order_by("starts_on")[:OPEN_COHORTS_SHOWN]
    )
    return CourseCohorts(membership=None, dues=[], open_cohorts=open_cohorts)


def _membership_of(enrollment) -> CohortMembership | None:
    """The enrollment's cohort membership (one at most) with its cohort, in one statement
    written once per process: the ORM spent 0.45 ms of every enrolled learner's course page
    building the same query (a select_related `.first()`). The membership holds what the page
    uses (its cohort); its other fields are deferred, read on access."""
    database = router.db_for_read(CohortMembership)
    cohort = next(
        iter(Cohort.objects.raw(_membership_sql(database), [enrollment.pk]).using(database)),
        None,
    )
    if cohort is None:
        return None
    membership = CohortMembership.from_db(
        database,
        ["id", "cohort_id", "enrollment_id"],
        [cohort.membership_pk, cohort.pk, enrollment.pk],
    )
    membership.cohort = cohort
    return membership


@once
def _membership_sql(database: str) -> str:
    # Names from the models' metadata; one parameter, the enrollment's id.
    quote = connections[database].ops.quote_name
    cohort, membership = Cohort._meta, CohortMembership._meta
    columns = ", ".join(f"c.{quote(field.column)}" for field in cohort.concrete_fields)
    return (
        f"SELECT {columns}, m.{quote(membership.pk.column)} AS membership_pk "  # noqa: S608
        f"FROM {quote(cohort.db_table)} c JOIN {quote(membership.db_table)} m "
        f"ON m.{quote(membership.get_field('cohort').column)} = c.{quote(cohort.pk.column)} "
        f"WHERE m.{quote(membership.get_field('enrollment').column)} = %s"
    )


@register.simple_tag(takes_context=True)
def navigation_roles(context) -> NavigationRoles:
    """Which staff areas the header links to (trainer's cohorts, HR compliance) and whether the
    person may open the admin (the userbar): cached per person (`cohorts.navigation`), as it
    runs on every page a signed-in person opens."""
    request = context.get("request")
    return roles_for(getattr(request, "user", None))
