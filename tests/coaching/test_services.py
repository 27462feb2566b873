"""Coaching services: proposing and accepting agreements, logging and confirming sessions, and
the development record a session both parties confirmed becomes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from coaching import services
from coaching.factories import CoachingAgreementFactory, CoachingSessionFactory
from coaching.models import CoachingAgreement, CoachingSession
from development.factories import FormRuleFactory, form_of
from development.models import DevelopmentRecord

pytestmark = pytest.mark.django_db

Action = AuditEvent.Action
Role = CoachingAgreement.Role


def _codes(error: ValidationError, field: str) -> set[str]:
    return {e.code for e in error.error_dict[field]}


def _propose(proposer, other_email, **overrides):
    arguments = {
        "role": Role.COACHEE,
        "kind": CoachingAgreement.Kind.COACHING,
        "title": "Analisis kebijakan",
        "goals": "Menyusun policy brief.",
        "start_date": timezone.localdate() - timedelta(days=10),
    } | overrides
    return services.agreement_propose(proposer=proposer, other_email=other_email, **arguments)


def _log(agreement, user, **overrides):
    arguments = {
        "session_date": timezone.localdate() - timedelta(days=1),
        "duration_minutes": 90,
        "notes": "Membahas kerangka policy brief.",
        "agreed_actions": "Menulis draf pertama.",
    } | overrides
    return services.session_log(agreement=agreement, user=user, **arguments)


# Agreements


def test_the_coachee_proposes_and_the_coach_accepts_with_an_audit_event(coachee, supervisor):
    agreement = _propose(coachee, "ATASAN@ku.go.id")
    assert (agreement.coachee, agreement.coach) == (coachee, supervisor)
    assert agreement.status == CoachingAgreement.Status.PROPOSED

    services.agreement_accept(agreement=agreement, user=supervisor)

    agreement.refresh_from_db()
    assert agreement.status == CoachingAgreement.Status.ACTIVE and agreement.accepted_at
    event = AuditEvent.objects.get(action=Action.COACHING_AGREEMENT_ACCEPTED)
    assert (event.actor, event.subject_user) == (supervisor, coachee)
    assert event.organization_id == coachee.organization_id


def test_the_person_proposed_to_is_emailed(coachee, supervisor, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        agreement = _propose(coachee, supervisor.email)
    [message] = mail.outbox
    assert message.to == [supervisor.email]
    assert "Pegawai Satu" in message.subject and "kesepakatan" in message.subject
    assert "menjadi coach atau mentor Anda" not in message.body
    assert "Analisis kebijakan" in message.body
    assert f"/saya/pembimbingan/{agreement.pk}/" in message.body


def test_a_coach_proposes_and_the_coachee_accepts(coachee, supervisor):
    agreement = _propose(supervisor, coachee.email, role=Role.COACH)
    assert (agreement.coachee, agreement.coach) == (coachee, supervisor)
    with pytest.raises(ValidationError) as refused:
        services.agreement_accept(agreement=agreement, user=supervisor)
    assert refused.value.code == "own_proposal"
    services.agreement_accept(agreement=agreement, user=coachee)
    agreement.refresh_from_db()
    assert agreement.status == CoachingAgreement.Status.ACTIVE


def test_nobody_coaches_themselves(coachee):
    with pytest.raises(ValidationError) as refused:
        _propose(coachee, coachee.email)
    assert _codes(refused.value, "other_email") == {"oneself"}
    assert not CoachingAgreement.objects.exists()


def test_an_unknown_address_is_refused_in_words(coachee):
    with pytest.raises(ValidationError) as refused:
        _propose(coachee, "tidak.ada@ku.go.id")
    assert _codes(refused.value, "other_email") == {"not_found"}


def test_an_agreement_of_the_same_kind_still_open_is_refused(coachee, supervisor):
    _propose(coachee, supervisor.email)
    with pytest.raises(ValidationError) as refused:
        _propose(supervisor, coachee.email, role=Role.COACH)
    assert _codes(refused.value, "other_email") == {"duplicate"}
    # Mentoring by the same person is another agreement.
    _propose(coachee, supervisor.email, kind=CoachingAgreement.Kind.MENTORING)


def test_only_the_parties_accept_or_end(coachee, supervisor, other_learner, hr):
    agreement = _propose(coachee, supervisor.email)
    for stranger in (other_learner, hr):
        with pytest.raises(PermissionDenied):
            services.agreement_accept(agreement=agreement, user=stranger)
        with pytest.raises(PermissionDenied):
            services.agreement_end(agreement=agreement, user=stranger)
    agreement.refresh_from_db()
    assert agreement.status == CoachingAgreement.Status.PROPOSED


# Logging sessions


def test_either_party_logs_confirming_it_and_the_other_is_emailed(
    coachee, supervisor, django_capture_on_commit_callbacks
):
    agreement = CoachingAgreementFactory(coachee=coachee, coach=supervisor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        session = _log(agreement, supervisor)
    assert session.confirmed_by_coach_at is not None and session.confirmed_by_coachee_at is None
    assert session.record is None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [coachee.email]
    assert "konfirmasi" in message.subject.lower()
    assert f"/saya/pembimbingan/{agreement.pk}/" in message.body
    assert "Atasan Langsung" in message.body
    event = AuditEvent.objects.get(action=Action.COACHING_SESSION_CONFIRMED)
    assert (event.actor, event.subject_user, event.detail["role"]) == (supervisor, coachee, "coach")


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"duration_minutes": 0}, "duration_minutes", "duration"),
        ({"duration_minutes": 481}, "duration_minutes", "duration_too_long"),
        ({"session_date": timezone.localdate() + timedelta(days=1)}, "date", "future"),
        ({"session_date": timezone.localdate() - timedelta(days=31)}, "date", "before_start"),
        ({"notes": "  "}, "notes", "notes_required"),
    ],
)
def test_a_bad_session_is_refused_in_words(coachee, supervisor, overrides, field, code):
    agreement = CoachingAgreementFactory(coachee=coachee, coach=supervisor)
    with pytest.raises(ValidationError) as refused:
        _log(agreement, coachee, **overrides)
    assert code in _codes(refused.value, field)
    assert refused.value.error_dict[field][0].messages[0]
    assert not CoachingSession.objects.exists()


def test_eight_hours_is_the_longest_session(coachee, supervisor):
    agreement = CoachingAgreementFactory(coachee=coachee, coach=supervisor)
    assert _log(agreement, coachee, duration_minutes=480).duration_minutes == 480


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (CoachingAgreement.Status.ENDED, "not_active"),
        (CoachingAgreement.Status.PROPOSED, "not_active"),
    ],
)
def test_an_agreement_not_active_takes_no_new_session(coachee, supervisor, status, code):
    agreement = CoachingAgreementFactory(coachee=coachee, coach=supervisor, status=status)
    with pytest.raises(ValidationError) as refused:
        _log(agreement, coachee)
    assert refused.value.code == code


def test_ending_stops_new_sessions(coachee, supervisor):
    agreement = CoachingAgreementFactory(coachee=coachee, coach=supervisor)
    services.agreement_end(agreement=agreement, user=supervisor)
    with pytest.raises(ValidationError) as refused:
        _log(agreement, coachee)
    assert refused.value.code == "not_active" and "berakhir" in refused.value.messages[0]


def test_only_the_parties_log_or_confirm(coachee, supervisor, other_learner, hr):
    agreement = CoachingAgreementFactory(coachee=coachee, coach=supervisor)
    session = CoachingSessionFactory(agreement=agreement)
    for stranger in (other_learner, hr):
        with pytest.raises(PermissionDenied):
            _log(agreement, stranger)
        with pytest.raises(PermissionDenied):
            services.session_confirm(session=session, user=stranger)
    session.refresh_from_db()
    assert session.confirmed_by_coach_at is None
    assert CoachingSession.objects.count() == 1


# Confirming and the record


def test_the_supervisor_as_coach_confirming_verifies_the_record(
    coachee, supervisor, django_capture_on_commit_callbacks
):
    agreement = CoachingAgreementFactory(coachee=coachee, coach=supervisor, title="Telaahan staf")
    session = _log(agreement, coachee, duration_minutes=90)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        session = services.session_confirm(session=session, user=supervisor)

    record = session.record
    assert record.owner == coachee and record.form == form_of("coaching")
    assert record.form.mode == "nonklasikal"
    assert record.title.startswith("Telaahan staf") and record.organizer == "Atasan Langsung"
    assert record.start_date == record.end_date == session.date
    assert record.hours == Decimal("1.50") and record.jp == Decimal("2.00")
    assert "Membahas kerangka" in record.report and "Menulis draf pertama." in record.report
    assert record.status == DevelopmentRecord.Status.VERIFIED
    assert record.decided_by == supervisor and record.decision_note
    # Verified through development's own verification: its JP are credited like any record's.
    assert record.jp_credited == Decimal("2.00")
    decided = AuditEvent.objects.get(action=Action.DEVELOPMENT_RECORD_DECIDED)
    assert (decided.actor, decided.subject_user, decided.detail["to"]) == (
        supervisor,
        coachee,
        "verified",
    )
    assert AuditEvent.objects.filter(action=Action.COACHING_SESSION_CONFIRMED).count() == 2
    assert [message.to for message in mail.outbox] == [[coachee.email]]


def test_a_coach_who_is_not_the_supervisor_leaves_the_record_submitted(coachee, widyaiswara):
    agreement = CoachingAgreementFactory(
        coachee=coachee, coach=widyaiswara, kind=CoachingAgreement.Kind.MENTORING
    )
    session = _log(agreement, widyaiswara, duration_minutes=60)
    session = services.session_confirm(session=session, user=coachee)
    record = session.record
    assert record.form == form_of("mentoring")
    assert record.status == DevelopmentRecord.Status.SUBMITTED
    assert record.decided_by is None and record.organizer == "Widyaiswara Ahli"
    assert not AuditEvent.objects.filter(action=Action.DEVELOPMENT_RECORD_DECIDED).exists()


def test_an_unconfirmed_supervisor_does_not_verify(coachee, supervisor):
    coachee.supervisor_confirmed_at = None
    coachee.save(update_fields=["supervisor_confirmed_at"])
    agreement = CoachingAgreementFactory(coachee=coachee, coach=supervisor)
    session = services.session_confirm(session=_log(agreement, coachee), user=supervisor)
    assert session.record.status == DevelopmentRecord.Status.SUBMITTED


def test_confirming_twice_keeps_one_record_and_one_event(coachee, supervisor):
    agreement = CoachingAgreementFactory(coachee=coachee, coach=supervisor)
    session = _log(agreement, coachee)
    first = services.session_confirm(session=session, user=supervisor)
    again = services.session_confirm(session=session, user=supervisor)
    by_logger = services.session_confirm(session=session, user=coachee)

    assert first.record_id == again.record_id == by_logger.record_id
    assert DevelopmentRecord.objects.count() == 1
    assert AuditEvent.objects.filter(action=Action.COACHING_SESSION_CONFIRMED).count() == 2
    assert first.confirmed_by_coach_at == again.confirmed_by_coach_at


def test_the_logger_confirming_again_changes_nothing(coachee, supervisor):
    agreement = CoachingAgreementFactory(coachee=coachee, coach=supervisor)
    session = _log(agreement, coachee)
    logged_at = session.confirmed_by_coachee_at
    session = services.session_confirm(session=session, user=coachee)
    assert session.confirmed_by_coachee_at == logged_at and session.record is None
    assert not DevelopmentRecord.objects.exists()


def test_the_record_takes_the_organization_cap_per_activity(coachee, supervisor):
    FormRuleFactory(
        form=form_of("coaching"),
        organization=coachee.organization,
        max_jp_per_activity=Decimal("1.5"),
    )
    agreement = CoachingAgreementFactory(coachee=coachee, coach=supervisor)
    session = _log(agreement, coachee, duration_minutes=180)
    record = services.session_confirm(session=session, user=supervisor).record
    assert record.hours == Decimal("3.00") and record.jp == Decimal("1.50")


def test_two_sessions_on_one_day_become_two_records(coachee, supervisor):
    agreement = CoachingAgreementFactory(coachee=coachee, coach=supervisor)
    for _ in range(2):
        services.session_confirm(session=_log(agreement, coachee), user=supervisor)
    assert DevelopmentRecord.objects.filter(owner=coachee).count() == 2


def test_a_session_of_an_ended_agreement_can_still_be_confirmed(coachee, supervisor):
    agreement = CoachingAgreementFactory(coachee=coachee, coach=supervisor)
    session = _log(agreement, coachee)
    services.agreement_end(agreement=agreement, user=coachee)
    assert services.session_confirm(session=session, user=supervisor).record is not None
