"""Evidence as the other apps leave it: a passed post-test on a completed course, a supervisor's
answered follow-up."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from courses.factories import CourseCompetencyFactory, CoursePageFactory, provider_page_of
from evaluation.models import BehaviourFollowUp
from learners.models import Enrollment


def course_developing(provider, *pairs, title=None):
    """A live course that develops each (competency, level) of `pairs`."""
    extra = {"title": title} if title else {}
    course = CoursePageFactory(parent=provider_page_of(provider), **extra)
    for competency, level in pairs:
        CourseCompetencyFactory(page=course, competency=competency, target_level=level)
    return course


def completion(user, course, *, days_ago: int, final_score="85.00"):
    """`user` completed `course` `days_ago` days ago; `final_score` is its passed post-test (None:
    the course has no post-test passed)."""
    when = timezone.now() - timedelta(days=days_ago)
    return Enrollment.objects.create(
        user=user,
        course=course,
        status=Enrollment.Status.COMPLETED,
        started_at=when - timedelta(days=1),
        completed_at=when,
        jp_credited=course.jp,
        final_score=Decimal(final_score) if final_score is not None else None,
    )


def supervisor_rating(user, course, ratings: dict, *, days_ago: int, supervisor=None):
    """The supervisor answered the L3 follow-up of `user`'s completion of `course`, rating each
    competency of `ratings` ({competency: 1-5})."""
    enrollment = completion(user, course, days_ago=days_ago + 60, final_score=None)
    values = {str(competency.pk): level for competency, level in ratings.items()}
    return BehaviourFollowUp.objects.create(
        enrollment=enrollment,
        supervisor=supervisor,
        recipient_email="atasan@ku.go.id",
        answered_at=timezone.now() - timedelta(days=days_ago),
        ratings=values,
        average_rating=Decimal(sum(ratings.values())) / len(ratings),
    )
