"""Writing coaching agreements and sessions. Either party proposes an agreement and the other
accepts it; either party logs a session (confirming it by logging) and the other confirms it.
A session both have confirmed becomes a non-classical development record of the matching form
without re-entry: verified at once when the coach is the coachee's confirmed direct supervisor
(BKN's CMB guidance: the supervisor as coach confirms the learning), otherwise submitted to the
supervisor's queue like any record. Each function runs in one transaction and refuses bad input
with a `ValidationError` whose message says what to fix; only the two parties may act.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import Action, audit_record
from coaching.models import MAX_SESSION_MINUTES, CoachingAgreement, CoachingSession
from coaching.tasks import agreement_proposed_notify, session_to_confirm_notify
from development import services as development_services
from development.models import DevelopmentForm, DevelopmentRecord
from learners.models import User
from learners.supervisors import has_confirmed_supervisor

Role = CoachingAgreement.Role
Status = CoachingAgreement.Status

#: Stored data, not interface text: the platform's language, whatever the confirmer's.
VERIFIED_BY_SESSION_NOTE = (
    "Terverifikasi melalui konfirmasi sesi oleh atasan langsung sebagai coach/mentor."
)
RECORD_TITLE = "{title} (sesi {date:%d-%m-%Y}, #{pk})"


def _party_only(agreement: CoachingAgreement, user: User) -> str:
    role = agreement.role_of(user) if user.is_authenticated else None
    if role is None:
        raise PermissionDenied(_("Only the coachee and the coach of an agreement may act on it."))
    return role


@transaction.atomic
def agreement_propose(
    *,
    proposer: User,
    role: str,
    other_email: str,
    kind: str,
    title: str,
    goals: str,
    start_date: date,
) -> CoachingAgreement:
    """Propose an agreement to an existing account, as its coachee or as its coach; the other
    person is e-mailed and accepts it."""
    errors: dict[str, list[ValidationError]] = {}
    other = User.objects.filter(email__iexact=other_email.strip(), is_active=True).first()
    if other is None:
        errors["other_email"] = [
            ValidationError(
                _("No Lentera account has this e-mail address. Ask the person to sign up first."),
                code="not_found",
            )
        ]
    elif other.pk == proposer.pk:
        errors["other_email"] = [
            ValidationError(_("Nobody can coach or mentor themselves."), code="oneself")
        ]
    if role not in Role.values:
        errors["role"] = [ValidationError(_("Choose your role in the agreement."), code="role")]
    if not goals.strip():
        errors["goals"] = [
            ValidationError(_("Write the goals you agree on."), code="goals_required")
        ]
    if errors:
        raise ValidationError(errors)
    coachee, coach = (proposer, other) if role == Role.COACHEE else (other, proposer)
    if CoachingAgreement.objects.filter(
        coachee=coachee, coach=coach, kind=kind, status__in=(Status.PROPOSED, Status.ACTIVE)
    ).exists():
        raise ValidationError(
            {
                "other_email": ValidationError(
                    _("You two already have an agreement of this kind that has not ended."),
                    code="duplicate",
                )
            }
        )
    agreement = CoachingAgreement(
        coachee=coachee,
        coach=coach,
        kind=kind,
        title=title.strip(),
        goals=goals.strip(),
        start_date=start_date,
        proposed_by=role,
        status=Status.PROPOSED,
    )
    agreement.full_clean()
    agreement.save()
    transaction.on_commit(lambda: agreement_proposed_notify.enqueue(agreement_id=agreement.pk))
    return agreement


@transaction.atomic
def agreement_accept(*, agreement: CoachingAgreement, user: User) -> CoachingAgreement:
    """The person the agreement was proposed to accepts it: sessions can be logged from now."""
    agreement = (
        CoachingAgreement.objects.select_for_update(of=("self",))
        .select_related("coachee")
        .get(pk=agreement.pk)
    )
    role = _party_only(agreement, user)
    if agreement.status != Status.PROPOSED:
        raise ValidationError(
            _("This agreement is not waiting for acceptance any more."), code="not_proposed"
        )
    if role == agreement.proposed_by:
        raise ValidationError(
            _("The other person accepts the agreement you proposed."), code="own_proposal"
        )
    agreement.status = Status.ACTIVE
    agreement.accepted_at = timezone.now()
    agreement.save(update_fields=["status", "accepted_at"])
    audit_record(
        user,
        Action.COACHING_AGREEMENT_ACCEPTED,
        organization=agreement.coachee.organization_id,
        subject=agreement.coachee,
        target=f"{_('coaching agreement')} #{agreement.pk}",
        detail={"kind": agreement.kind, "role": role},
    )
    return agreement


@transaction.atomic
def agreement_end(*, agreement: CoachingAgreement, user: User) -> CoachingAgreement:
    """Either party ends an agreement (or withdraws or declines a proposal): it takes no new
    sessions; sessions already logged can still be confirmed."""
    agreement = CoachingAgreement.objects.select_for_update().get(pk=agreement.pk)
    _party_only(agreement, user)
    if agreement.status == Status.ENDED:
        return agreement
    agreement.status = Status.ENDED
    agreement.ended_at = timezone.now()
    agreement.save(update_fields=["status", "ended_at"])
    return agreement


def _validate_session(
    agreement: CoachingAgreement, *, session_date: date, duration_minutes: int, notes: str
) -> None:
    errors: dict[str, list[ValidationError]] = {}
    if agreement.status != Status.ACTIVE:
        message = (
            _("This agreement has ended: it takes no new sessions.")
            if agreement.status == Status.ENDED
            else _("Sessions can be logged once the agreement is accepted.")
        )
        raise ValidationError(message, code="not_active")
    if session_date > timezone.localdate():
        errors["date"] = [
            ValidationError(
                _("Log a session once it has taken place: its date cannot be in the future."),
                code="future",
            )
        ]
    elif session_date < agreement.start_date:
        errors["date"] = [
            ValidationError(
                _("The session cannot be before the agreement's start date (%(start)s).")
                % {"start": agreement.start_date.strftime("%d-%m-%Y")},
                code="before_start",
            )
        ]
    if duration_minutes is None or duration_minutes <= 0:
        errors["duration_minutes"] = [
            ValidationError(_("The duration must be more than zero minutes."), code="duration")
        ]
    elif duration_minutes > MAX_SESSION_MINUTES:
        errors["duration_minutes"] = [
            ValidationError(
                _("A session lasts at most %(hours)s hours (%(minutes)s minutes).")
                % {"hours": MAX_SESSION_MINUTES // 60, "minutes": MAX_SESSION_MINUTES},
                code="duration_too_long",
            )
        ]
    if not notes.strip():
        errors["notes"] = [
            ValidationError(
                _("Write what the session was about: it becomes the record's report."),
                code="notes_required",
            )
        ]
    if errors:
        raise ValidationError(errors)


def _confirm_audit(session: CoachingSession, *, user: User, role: str) -> None:
    agreement = session.agreement
    audit_record(
        user,
        Action.COACHING_SESSION_CONFIRMED,
        organization=agreement.coachee.organization_id,
        subject=agreement.coachee,
        target=f"{_('coaching session')} #{session.pk}",
        detail={"kind": agreement.kind, "role": role, "minutes": session.duration_minutes},
    )


@transaction.atomic
def session_log(
    *,
    agreement: CoachingAgreement,
    user: User,
    session_date: date,
    duration_minutes: int,
    notes: str,
    agreed_actions: str = "",
) -> CoachingSession:
    """Log a session of an active agreement; logging it is the logger's confirmation, and the
    other party is e-mailed to confirm it too."""
    agreement = (
        CoachingAgreement.objects.select_for_update(of=("self",))
        .select_related("coachee")
        .get(pk=agreement.pk)
    )
    role = _party_only(agreement, user)
    _validate_session(
        agreement, session_date=session_date, duration_minutes=duration_minutes, notes=notes
    )
    now = timezone.now()
    session = CoachingSession(
        agreement=agreement,
        date=session_date,
        duration_minutes=duration_minutes,
        notes=notes.strip(),
        agreed_actions=agreed_actions.strip(),
        logged_by=role,
        confirmed_by_coachee_at=now if role == Role.COACHEE else None,
        confirmed_by_coach_at=now if role == Role.COACH else None,
    )
    session.full_clean()
    session.save()
    _confirm_audit(session, user=user, role=role)
    transaction.on_commit(lambda: session_to_confirm_notify.enqueue(session_id=session.pk))
    return session


def _record_report(session: CoachingSession) -> str:
    if not session.agreed_actions:
        return session.notes
    return f"{session.notes}\n\nTindak lanjut yang disepakati:\n{session.agreed_actions}"


def _record_create(session: CoachingSession) -> DevelopmentRecord:
    """The non-classical record a confirmed session becomes, through development's own service
    (`record_from_activity`: the dates and hours checks, the organization's rule for the form,
    its caps and minimum evidence). The session's notes and agreed actions are the record's
    report, and the session log both parties confirmed is its evidence (`evidence_held`): a rule
    asking for a file or a link needs nothing uploaded. Submitted, then verified by the
    confirmation itself when the coach is the coachee's confirmed direct supervisor
    (`record_verify` audits and e-mails)."""
    agreement = session.agreement
    coachee, coach = agreement.coachee, agreement.coach
    record = development_services.record_from_activity(
        owner=coachee,
        form=DevelopmentForm.objects.get(code=agreement.kind),
        title=RECORD_TITLE.format(title=agreement.title[:200], date=session.date, pk=session.pk),
        organizer=coach.full_name,
        start_date=session.date,
        end_date=session.date,
        hours=Decimal(session.duration_minutes) / 60,
        report=_record_report(session),
        evidence_held=True,
    )
    if has_confirmed_supervisor(coachee, coach):
        record = development_services.record_verify(
            record=record, verifier=coach, note=VERIFIED_BY_SESSION_NOTE
        )
    return record


@transaction.atomic
def session_confirm(*, session: CoachingSession, user: User) -> CoachingSession:
    """The other party confirms a session. Confirming again changes nothing; once both have
    confirmed, the session becomes a development record, once, and no longer changes."""
    session = (
        CoachingSession.objects.select_for_update(of=("self",))
        .select_related("agreement__coachee", "agreement__coach")
        .get(pk=session.pk)
    )
    role = _party_only(session.agreement, user)
    if session.confirmed_by(role) is not None:
        return session
    now = timezone.now()
    if role == Role.COACHEE:
        session.confirmed_by_coachee_at = now
    else:
        session.confirmed_by_coach_at = now
    session.save(update_fields=["confirmed_by_coachee_at", "confirmed_by_coach_at"])
    _confirm_audit(session, user=user, role=role)
    if session.is_confirmed and session.record_id is None:
        session.record = _record_create(session)
        session.save(update_fields=["record"])
    return session
