"""A completed course or a verified development record may complete a path its owner follows.

The signals are sent by the lower floors (`learners.progress.course_completed`,
`development.services.record_verified`) inside the transaction that made the change, so the
path certificate is issued, or not, with it.
"""

from django.dispatch import receiver

from development.services import record_verified
from learners.progress import course_completed
from paths.services import path_completion_check


@receiver(course_completed, dispatch_uid="paths_course_completed")
def on_course_completed(sender, enrollment, **kwargs) -> None:
    path_completion_check(user=enrollment.user)


@receiver(record_verified, dispatch_uid="paths_record_verified")
def on_record_verified(sender, record, **kwargs) -> None:
    path_completion_check(user=record.owner)
