"""The cohort part of a course page: the learner's cohort and its due dates, or the cohorts
open to join (two queries at most); the header's staff links."""

from dataclasses import dataclass

from django import template
from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from cohorts.models import Cohort, CohortLessonDue, CohortMembership
from learners.models import CourseTrainer, OrganizationRole, User
from learners.permissions import is_platform_admin

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


@dataclass(frozen=True)
class NavigationRoles:
    trainer: bool
    organization_admin: bool
    # May open Wagtail's admin (`wagtailadmin.access_admin`): base.html renders the userbar
    # only then, so that a learner's page does not load every permission they have (two
    # queries) to find that they have none of the admin's.
    admin: bool = False


@register.simple_tag(takes_context=True)
def navigation_roles(context) -> NavigationRoles:
    """Which staff areas the header links to (trainer's cohorts, HR compliance) and whether the
    person may open the admin (the userbar), in one query: it runs on every page a signed-in
    person opens."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return NavigationRoles(False, False)
    if is_platform_admin(user):
        return NavigationRoles(True, True, True)
    access_admin = Permission.objects.filter(
        codename="access_admin", content_type__app_label="wagtailadmin"
    )
    trainer, organization_admin, admin = (
        User.objects.filter(pk=user.pk)
        .annotate(
            trainer=Exists(Cohort.trainers.through.objects.filter(user_id=OuterRef("pk")))
            | Exists(CourseTrainer.objects.filter(user_id=OuterRef("pk"))),
            organization_admin=Exists(
                OrganizationRole.objects.filter(
                    user_id=OuterRef("pk"), role=OrganizationRole.Role.ADMIN
                )
            ),
            # Django's ModelBackend rule: the permission given to the person or to a group.
            admin=Exists(access_admin.filter(user=OuterRef("pk")))
            | Exists(access_admin.filter(group__user=OuterRef("pk"))),
        )
        .values_list("trainer", "organization_admin", "admin")
        .get()
    )
    return NavigationRoles(trainer, organization_admin, admin)
