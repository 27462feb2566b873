"""Public feedback on a service unit (no sign-in): a citizen's rating, limited per client address
by a keyed hash that can count but not identify them."""

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from evaluation.models import FeedbackAspect, PublicFeedback, ServiceUnit
from evaluation.services.errors import EvaluationRefused
from learners.errors import LearningError

#: Public feedback accepted per client address and service unit in FEEDBACK_WINDOW_SECONDS.
FEEDBACK_LIMIT = 5
FEEDBACK_WINDOW_SECONDS = 60 * 60


def feedback_client_hash(client_address: str) -> str:
    """A keyed hash of the client's address: stable enough to count, useless to identify.

    The salt keeps the app's former name, so hashes stored before the split still match."""
    return salted_hmac(
        "assessments.public-feedback", client_address, algorithm="sha256"
    ).hexdigest()


def _feedback_counter_key(unit: ServiceUnit, client_hash: str) -> str:
    return f"evaluation:feedback:{unit.pk}:{client_hash}"


def public_feedback_allowed(*, unit: ServiceUnit, client_hash: str) -> bool:
    """Whether this client may still send feedback on this unit in the current window."""
    return cache.get(_feedback_counter_key(unit, client_hash), 0) < FEEDBACK_LIMIT


def public_feedback_count_attempt(*, unit: ServiceUnit, client_hash: str) -> int:
    """Count one submission against the client's limit (the window starts at the first)."""
    key = _feedback_counter_key(unit, client_hash)
    cache.add(key, 0, timeout=FEEDBACK_WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=FEEDBACK_WINDOW_SECONDS)
        return 1


def feedback_aspects_for(unit: ServiceUnit):
    """The aspects offered on a unit's page: its organization's and the global ones."""
    return FeedbackAspect.objects.filter(
        Q(organization__isnull=True) | Q(organization_id=unit.organization_id)
    ).order_by("sort_order", "name")


@transaction.atomic
def public_feedback_create(
    *,
    unit: ServiceUnit,
    rating: int,
    aspects: list[FeedbackAspect],
    comment: str = "",
    client_hash: str = "",
) -> PublicFeedback:
    """Store one citizen's rating of a service unit; comments are kept as plain text."""
    if not unit.public:
        raise EvaluationRefused(
            _("This service unit does not accept feedback at the moment."), code="closed"
        )
    allowed = set(feedback_aspects_for(unit).values_list("pk", flat=True))
    if any(aspect.pk not in allowed for aspect in aspects):
        raise LearningError(_("Choose aspects from the list."), code="aspect_not_offered")
    feedback = PublicFeedback(
        unit=unit, rating=rating, comment=comment.strip(), client_hash=client_hash
    )
    feedback.full_clean()
    feedback.save()
    feedback.aspects.set(aspects)
    return feedback
