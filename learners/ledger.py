"""The learning record: the append-only ledger of what happened in a person's learning (enrolled,
lesson completed, course completed with its JP, certificate issued or revoked).

Every service that changes a learner's state writes one row here, in its own transaction.
"""

from learners.models import LearningRecord, User


def learning_record_create(
    *,
    actor: User | None,
    verb: str,
    obj,
    learner: User | None = None,
    result: dict | None = None,
) -> LearningRecord:
    """Append one event to the learning record."""
    return LearningRecord.objects.create(
        actor=actor,
        learner=learner or actor,
        verb=verb,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_label=str(getattr(obj, "title", obj))[:255],
        result=result or {},
    )
