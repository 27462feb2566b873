"""Queue a statement when a record worth telling the LRS is saved.

Connected by XapiConfig.ready() rather than in the apps that own the records, which sit below
xapi and must not know it. The delivery is created and queued once the learner's transaction has
committed (`on_commit`, robust): a record rolled back sends nothing, and a failure here (the
queue down) is logged and never fails the learner's request; `xapi_backfill` and the daily job
catch up on what was missed.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_save

from development.models import DevelopmentRecord
from learners.models import LearningRecord
from packages.models import PackageAttempt
from xapi.models import Delivery
from xapi.services import xapi_enabled
from xapi.statements import LEARNING_RECORD_VERBS, development_record_is_sent
from xapi.tasks import delivery_queue, quiz_answers_queue

logger = logging.getLogger(__name__)


def _queue_after_commit(source: str, source_id) -> None:
    def queue():
        try:
            delivery_queue(source=source, source_id=str(source_id))
        except Exception:
            logger.exception("xAPI delivery of %s:%s not queued", source, source_id)

    transaction.on_commit(queue, robust=True)


def _queue_answers_after_commit(attempt_id: int) -> None:
    def queue():
        try:
            quiz_answers_queue(attempt_id=attempt_id)
        except Exception:
            logger.exception("xAPI answers of quiz attempt %s not queued", attempt_id)

    transaction.on_commit(queue, robust=True)


def learning_record_saved(sender, instance: LearningRecord, created: bool, **kwargs) -> None:
    if created and instance.verb in LEARNING_RECORD_VERBS and xapi_enabled():
        _queue_after_commit(Delivery.Source.LEARNING_RECORD, instance.pk)
        # A submitted attempt: "passed"/"failed" above, and one "answered" per question.
        attempt_id = (instance.result or {}).get("attempt_id")
        if instance.verb == LearningRecord.Verb.QUIZ_ATTEMPTED and isinstance(attempt_id, int):
            _queue_answers_after_commit(attempt_id)


def development_record_saved(sender, instance: DevelopmentRecord, **kwargs) -> None:
    # The status first: only a verified record reads its form's mode (one query).
    if (
        instance.status == DevelopmentRecord.Status.VERIFIED
        and xapi_enabled()
        and development_record_is_sent(instance)
    ):
        _queue_after_commit(Delivery.Source.DEVELOPMENT_RECORD, instance.pk)


def package_attempt_saved(sender, instance: PackageAttempt, created: bool, **kwargs) -> None:
    # An attempt is created when the learner first launches the package (packages.services).
    if created and xapi_enabled():
        _queue_after_commit(Delivery.Source.PACKAGE_ATTEMPT, instance.pk)


def connect() -> None:
    post_save.connect(learning_record_saved, sender=LearningRecord, dispatch_uid="xapi_lr")
    post_save.connect(development_record_saved, sender=DevelopmentRecord, dispatch_uid="xapi_dr")
    post_save.connect(package_attempt_saved, sender=PackageAttempt, dispatch_uid="xapi_pa")
