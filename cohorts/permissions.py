"""Who may run which cohort. Trainers see only the cohorts they train; platform administrators
see all. Views, exports and the API use these and answer 404 for anything else."""

from django.db.models import Q, QuerySet

from cohorts.models import Cohort
from content.translation import source_pages
from courses.models import CoursePage
from learners.models import OrganizationRole, User
from learners.permissions import is_platform_admin


def cohorts_trained_by(user: User) -> QuerySet[Cohort]:
    if not user.is_authenticated:
        return Cohort.objects.none()
    if is_platform_admin(user):
        return Cohort.objects.all()
    return Cohort.objects.filter(trainers=user)


def is_cohort_trainer(user: User, cohort: Cohort) -> bool:
    return cohorts_trained_by(user).filter(pk=cohort.pk).exists()


def courses_open_for_new_cohorts(user: User) -> QuerySet[CoursePage]:
    """Courses `user` may start a cohort of: those they are a trainer of (`CourseTrainer`)."""
    courses = source_pages(CoursePage.objects.live()).defer_streamfields().order_by("title")
    if is_platform_admin(user):
        return courses
    return courses.filter(trainers__user=user).distinct()


def is_trainer(user: User) -> bool:
    """Has the trainers' dashboard: trains a course or a cohort."""
    if not user.is_authenticated:
        return False
    return is_platform_admin(user) or user.trained_cohorts.exists() or user.trained_courses.exists()


def trainers_eligible_for(course: CoursePage) -> QuerySet[User]:
    """Who may train cohorts of `course`: trainers of any course of its provider, and people the
    provider's organization admin allows (an `OrganizationRole` of kind trainer)."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(trained_courses__course__provider_id=course.provider_id)
            | Q(
                organization_roles__organization_id=course.provider_id,
                organization_roles__role=OrganizationRole.Role.TRAINER,
            )
        )
        .distinct()
    )
