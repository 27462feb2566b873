"""Who may run which cohort. Trainers see only the cohorts they train; platform administrators
see all. Views, exports and the API use these and answer 404 for anything else."""

from django.db.models import QuerySet

from cohorts.models import Cohort
from courses.models import CoursePage
from learners.models import User
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
    courses = CoursePage.objects.live().defer_streamfields().order_by("title")
    if is_platform_admin(user):
        return courses
    return courses.filter(trainers__user=user).distinct()


def is_trainer(user: User) -> bool:
    """Has the trainers' dashboard: trains a course or a cohort."""
    if not user.is_authenticated:
        return False
    return is_platform_admin(user) or user.trained_cohorts.exists() or user.trained_courses.exists()
