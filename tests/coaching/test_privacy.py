"""Coaching agreements and sessions in both parties' data download, and what erasing either
account leaves of them (UU PDP art. 7, 8 and 13)."""

import io
import json
import zipfile

import pytest

from coaching import services
from coaching.factories import CoachingAgreementFactory, CoachingSessionFactory
from coaching.models import CoachingAgreement, CoachingSession
from development.models import DevelopmentRecord
from privacy.data_export import personal_data_archive
from privacy.erasure import account_erase

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed_session(coachee, supervisor):
    agreement = CoachingAgreementFactory(coachee=coachee, coach=supervisor, title="Telaahan staf")
    return services.session_confirm(
        session=CoachingSessionFactory(agreement=agreement), user=supervisor
    )


def _coaching_section(user) -> list[dict]:
    archive = zipfile.ZipFile(io.BytesIO(personal_data_archive(user)))
    return json.loads(archive.read("data.json"))["coaching_agreements"]


def test_both_parties_download_the_agreement_and_its_sessions(
    confirmed_session, coachee, supervisor, other_learner
):
    [as_coachee] = _coaching_section(coachee)
    assert as_coachee["role"] == "coachee" and as_coachee["title"] == "Telaahan staf"
    assert as_coachee["coach__full_name"] == "Atasan Langsung"
    [session] = as_coachee["sessions"]
    assert session["notes"] == confirmed_session.notes
    assert session["record_id"] == confirmed_session.record_id
    [as_coach] = _coaching_section(supervisor)
    assert as_coach["role"] == "coach" and len(as_coach["sessions"]) == 1
    assert _coaching_section(other_learner) == []


def test_erasing_the_coachee_blanks_goals_and_notes_and_keeps_the_sessions(
    confirmed_session, coachee
):
    account_erase(user=coachee)
    session = CoachingSession.objects.get(pk=confirmed_session.pk)
    assert session.notes == session.agreed_actions == ""
    assert session.duration_minutes == 90 and session.is_confirmed
    assert CoachingAgreement.objects.get().goals == ""
    assert DevelopmentRecord.objects.get().report == ""


def test_erasing_the_coach_removes_their_name_from_the_records(confirmed_session, supervisor):
    account_erase(user=supervisor)
    record = DevelopmentRecord.objects.get(pk=confirmed_session.record_id)
    assert "Atasan" not in record.organizer and record.status == "verified"
    assert CoachingSession.objects.get().notes == ""
