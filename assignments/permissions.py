"""Who sees and grades which submissions.

- The learner sees their own submissions, and nobody else's.
- A trainer of the course (`learners.CourseTrainer`) grades every submission in it; a trainer of
  a cohort grades the submissions of its members only.
Everyone else gets 404, like the rest of the site.
"""

from django.db.models import Q

from cohorts.models import CohortMembership
from learners.models import CourseTrainer, User


def trainer_submissions_q(user: User, prefix: str = "") -> Q:
    """Submissions (or rows reaching one through `prefix`) that `user` trains: of the courses
    they train, and of the members of the cohorts they train. Subqueries, no joins: no row is
    repeated."""
    courses = CourseTrainer.objects.filter(user_id=user.pk).values("course_id")
    members = CohortMembership.objects.filter(cohort__trainers=user.pk).values("enrollment_id")
    return Q(**{f"{prefix}enrollment__course_id__in": courses}) | Q(
        **{f"{prefix}enrollment_id__in": members}
    )


def trains_course(user: User, course_id: int) -> bool:
    if not user.is_authenticated:
        return False
    return CourseTrainer.objects.filter(user_id=user.pk, course_id=course_id).exists()
