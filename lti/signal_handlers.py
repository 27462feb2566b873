"""A completed course sends its score to each platform line item that launched it for that
person, after the completing transaction commits (never inside the learner's request)."""

from functools import partial

from django.db import transaction
from django.dispatch import receiver

from learners.progress import course_completed
from lti.models import GradeLink
from lti.tasks import score_send


@receiver(course_completed, dispatch_uid="lti_course_completed")
def on_course_completed(sender, enrollment, course, **kwargs) -> None:
    link_ids = GradeLink.objects.filter(
        identity__user_id=enrollment.user_id, course_id=course.pk
    ).values_list("pk", flat=True)
    for link_id in link_ids:
        transaction.on_commit(
            partial(score_send.enqueue, grade_link_id=link_id, enrollment_id=enrollment.pk)
        )
