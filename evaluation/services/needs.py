"""Learning needs: the learner records them (as a draft, then submitted), their supervisor or
organization admin endorses or declines them. Submitted and decided needs no longer change."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from content.models import Competency
from evaluation.models import LearningNeed
from evaluation.permissions import can_decide_learning_need
from evaluation.services.errors import EvaluationConflict, EvaluationRefused
from learners.errors import LearningError
from learners.models import User


def _need_validate(need: LearningNeed) -> None:
    need.full_clean()


@transaction.atomic
def learning_need_create(
    *,
    user: User,
    competency: Competency,
    current_level: int,
    target_level: int,
    priority: str,
    reason: str,
    appraisal_reference: str = "",
    submit: bool = False,
) -> LearningNeed:
    """Record a learning need, as a draft or submitted straight away for endorsement."""
    need = LearningNeed(
        user=user,
        competency=competency,
        current_level=current_level,
        target_level=target_level,
        priority=priority,
        reason=reason.strip(),
        appraisal_reference=appraisal_reference.strip(),
    )
    if submit:
        need.status = LearningNeed.Status.SUBMITTED
        need.submitted_at = timezone.now()
    _need_validate(need)
    need.save()
    return need


def _own_draft(need: LearningNeed, user: User) -> LearningNeed:
    need = LearningNeed.objects.select_for_update().get(pk=need.pk)
    if need.user_id != user.pk:
        raise EvaluationRefused(_("This is not your learning need."), code="not_your_need")
    if not need.is_editable:
        raise EvaluationConflict(
            _("This need has already been submitted and can no longer change."),
            code="not_draft",
        )
    return need


@transaction.atomic
def learning_need_update(
    *,
    need: LearningNeed,
    user: User,
    competency: Competency,
    current_level: int,
    target_level: int,
    priority: str,
    reason: str,
    appraisal_reference: str = "",
    submit: bool = False,
) -> LearningNeed:
    """Change a draft need (and optionally submit it); submitted needs no longer change."""
    need = _own_draft(need, user)
    need.competency = competency
    need.current_level = current_level
    need.target_level = target_level
    need.priority = priority
    need.reason = reason.strip()
    need.appraisal_reference = appraisal_reference.strip()
    if submit:
        need.status = LearningNeed.Status.SUBMITTED
        need.submitted_at = timezone.now()
    _need_validate(need)
    need.save()
    return need


@transaction.atomic
def learning_need_submit(*, need: LearningNeed, user: User) -> LearningNeed:
    """Send a draft to the supervisor and the organization's admins for endorsement."""
    need = _own_draft(need, user)
    need.status = LearningNeed.Status.SUBMITTED
    need.submitted_at = timezone.now()
    need.save(update_fields=["status", "submitted_at"])
    return need


@transaction.atomic
def learning_need_delete(*, need: LearningNeed, user: User) -> None:
    """Delete a draft; submitted and decided needs stay on record."""
    _own_draft(need, user).delete()


@transaction.atomic
def learning_need_decide(
    *, need: LearningNeed, decided_by: User, endorse: bool, note: str = ""
) -> LearningNeed:
    """Endorse or decline a submitted need (the learner's supervisor or organization admin)."""
    need = LearningNeed.objects.select_for_update().select_related("user").get(pk=need.pk)
    if not can_decide_learning_need(decided_by, need):
        raise EvaluationRefused(
            _("Only the learner's supervisor or their organization's admin may decide."),
            code="not_endorser",
        )
    if need.status != LearningNeed.Status.SUBMITTED:
        raise EvaluationConflict(_("This need has already been decided."), code="already_decided")
    note = note.strip()
    if not endorse and not note:
        raise LearningError(
            _("Say why the need is not endorsed, so the learner can revise it."),
            code="note_required",
        )
    need.status = LearningNeed.Status.ENDORSED if endorse else LearningNeed.Status.REJECTED
    need.endorsed_by = decided_by
    need.endorsed_at = timezone.now()
    need.decision_note = note
    _need_validate(need)
    need.save(update_fields=["status", "endorsed_by", "endorsed_at", "decision_note"])
    return need
