"""The cohort part of a course page: the learner's cohort and its due dates, or the cohorts
open to join (two queries at most); the header's staff links."""

from dataclasses import dataclass

from django import template
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
        membership = (
            CohortMembership.objects.filter(enrollment=enrollment).select_related("cohort").first()
        )
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


@register.simple_tag(takes_context=True)
def navigation_roles(context) -> NavigationRoles:
    """Which staff areas the header links to (trainer's cohorts, HR compliance) and whether the
    person may open the admin (the userbar): cached per person (`cohorts.navigation`), as it
    runs on every page a signed-in person opens."""
    request = context.get("request")
    return roles_for(getattr(request, "user", None))
