"""Who may see and do what: Lentera's roles, defined once.

Roles are explicit and scoped:
- learner: any signed-in person, for their own learning only;
- trainer: of a course (`CourseTrainer`), later of cohorts;
- editor and moderator: of an organization's sections (its Wagtail groups, see
  `courses.services.organization_setup`);
- organization admin (HR): of one organization's people (`OrganizationRole`);
- platform administrator: a superuser.
Views, exports and the API call these checks rather than testing roles themselves.
"""

from django.db.models import Q, QuerySet

from content.models import Organization
from courses.models import CoursePage
from learners.models import CourseTrainer, Enrollment, MembershipStatus, OrganizationRole, User


def is_platform_admin(user: User) -> bool:
    return user.is_active and user.is_superuser


def organizations_administered(user: User) -> QuerySet[Organization]:
    """Organizations whose people `user` may see as their HR admin."""
    if is_platform_admin(user):
        return Organization.objects.all()
    return Organization.objects.filter(
        roles__user=user, roles__role=OrganizationRole.Role.ADMIN
    ).distinct()


def administers_any_organization(user: User) -> bool:
    """Whether `user` has the organization admin's pages (compliance); one query at most."""
    if not user.is_authenticated:
        return False
    return (
        is_platform_admin(user)
        or OrganizationRole.objects.filter(user=user, role=OrganizationRole.Role.ADMIN).exists()
    )


def is_organization_admin(user: User, organization_id: int | None) -> bool:
    if organization_id is None or not user.is_authenticated:
        return False
    return (
        is_platform_admin(user)
        or OrganizationRole.objects.filter(
            user=user, organization_id=organization_id, role=OrganizationRole.Role.ADMIN
        ).exists()
    )


def administers_member(viewer: User, person: User) -> bool:
    """Whether `viewer` is HR (an organization admin, or a platform administrator) of the
    organization `person` is a confirmed member of. A sign-up still waiting for HR, or one HR
    refused, only names the organization: its HR neither sees nor verifies their learning
    (at most one query)."""
    return person.membership_status == MembershipStatus.CONFIRMED and is_organization_admin(
        viewer, person.organization_id
    )


def is_course_trainer(user: User, course: CoursePage) -> bool:
    if not user.is_authenticated:
        return False
    return CourseTrainer.objects.filter(user=user, course=course).exists()


def is_organization_editor(user: User, organization: Organization) -> bool:
    """A member of the organization's editors or moderators group."""
    return user.groups.filter(
        pk__in=[organization.editors_group_id, organization.moderators_group_id]
    ).exists()


def trains_enrollment(user: User, enrollment: Enrollment) -> bool:
    """Whether `user` trains the course of `enrollment` or the cohort it belongs to: they do not
    rate its facilitation (the reaction survey would rate themselves)."""
    if not user.is_authenticated:
        return False
    return (
        CourseTrainer.objects.filter(user=user, course_id=enrollment.course_id).exists()
        or Enrollment.objects.filter(
            pk=enrollment.pk, cohort_membership__cohort__trainers=user
        ).exists()
    )


def can_view_learner_records(viewer: User, learner: User) -> bool:
    """The learner themself, an admin of their organization, or a platform administrator."""
    if not viewer.is_authenticated:
        return False
    return viewer.pk == learner.pk or administers_member(viewer, learner)


def confirmed_supervisor_q(prefix: str = "") -> Q:
    """People (or, with `prefix` such as "user__", rows about people) whose direct supervisor
    link is confirmed (see `learners.supervisors`, which names it again for its callers)."""
    return Q(
        **{
            f"{prefix}supervisor__isnull": False,
            f"{prefix}supervisor__is_active": True,
            f"{prefix}supervisor_confirmed_at__isnull": False,
        }
    )


def enrollments_decidable_by(user: User) -> QuerySet[Enrollment]:
    """Pending requests `user` may decide: the course's trainers, the trainers of the cohort the
    learner asks to join, the learner's organization admins and the learner's confirmed direct
    supervisor (`learners.supervisors`); never one's own request.

    The one home of the enrollment-decision rule: the approvals queue lists these, and
    `learners.services.enrollment_decide` refuses anything else, whoever calls it.
    (`cohort_membership` is the cohorts app's link to an enrollment.)
    """
    if not user.is_authenticated:
        return Enrollment.objects.none()
    # Each way in is a small uncorrelated subquery on an indexed column (the user's courses,
    # cohorts, organizations, team), not a join of every pending request to all four: "my
    # learning" counts these for everyone, and a learner who decides nothing must not cost a
    # scan of the platform's pending requests.
    return (
        Enrollment.objects.filter(status=Enrollment.Status.PENDING)
        .filter(
            Q(course_id__in=CourseTrainer.objects.filter(user=user).values("course_id"))
            | Q(
                pk__in=Enrollment.objects.filter(
                    cohort_membership__cohort__trainers=user, status=Enrollment.Status.PENDING
                ).values("pk")
            )
            | Q(
                user_id__in=User.objects.filter(
                    organization__in=organizations_administered(user)
                ).values("pk")
            )
            | Q(
                user_id__in=User.objects.filter(confirmed_supervisor_q(), supervisor=user).values(
                    "pk"
                )
            )
        )
        .exclude(user=user)
    )


def can_decide_enrollment(user: User, enrollment: Enrollment) -> bool:
    """Whether `user` may approve or reject `enrollment` (see `enrollments_decidable_by`)."""
    return enrollments_decidable_by(user).filter(pk=enrollment.pk).exists()
