"""A confirmed session becomes a record under the organization's rules for its form, through
`development.services.record_from_activity`: caps per activity and per year, and the minimum
evidence, which the confirmed session log itself meets (its notes are the report; the log both
parties confirmed in Lentera is the evidence a "file or link" rule asks for)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coaching import services
from coaching.factories import CoachingAgreementFactory, CoachingSessionFactory
from coaching.models import CoachingAgreement
from development import services as development_services
from development.factories import FormRuleFactory, form_of
from development.models import DevelopmentRecord, FormRule

pytestmark = pytest.mark.django_db


def _confirmed(coachee, coach, *, days_ago=7, minutes=90, kind="coaching"):
    agreement = CoachingAgreementFactory(coachee=coachee, coach=coach, kind=kind)
    session = CoachingSessionFactory(
        agreement=agreement,
        date=timezone.localdate() - timedelta(days=days_ago),
        duration_minutes=minutes,
    )
    return services.session_confirm(session=session, user=coach).record


@pytest.mark.parametrize("evidence", list(FormRule.Evidence.values))
def test_every_evidence_rule_is_met_by_the_confirmed_log(coachee, widyaiswara, evidence):
    FormRuleFactory(form=form_of("coaching"), organization=coachee.organization, evidence=evidence)
    record = _confirmed(coachee, widyaiswara)
    assert record.status == DevelopmentRecord.Status.SUBMITTED
    assert "Membahas struktur telaahan staf" in record.report
    assert "Tindak lanjut yang disepakati" in record.report
    # Nothing uploaded, no link: the confirmed session log is the evidence.
    assert not record.evidence_files.exists() and record.evidence_url == ""


def test_the_organization_yearly_cap_applies_at_verification(coachee, supervisor):
    FormRuleFactory(
        form=form_of("mentoring"),
        organization=coachee.organization,
        max_jp_per_year=Decimal("3"),
    )
    first = _confirmed(coachee, supervisor, kind=CoachingAgreement.Kind.MENTORING, days_ago=3)
    second = _confirmed(coachee, supervisor, kind=CoachingAgreement.Kind.MENTORING, days_ago=2)
    assert (first.status, second.status) == ("verified", "verified")
    assert first.jp == second.jp == Decimal("2.00")  # 90 minutes, 45 minutes a JP
    # The second is credited only what the cap left.
    assert (first.jp_credited, second.jp_credited) == (Decimal("2.00"), Decimal("1.00"))


def test_the_per_activity_cap_of_the_national_default_applies_without_own_rule(
    coachee, widyaiswara
):
    FormRule.objects.filter(form=form_of("coaching"), organization__isnull=True).update(
        max_jp_per_activity=Decimal("1")
    )
    record = _confirmed(coachee, widyaiswara, minutes=240)
    assert record.hours == Decimal("4.00") and record.jp == Decimal("1.00")


def test_another_organization_rule_does_not_apply(coachee, widyaiswara):
    from content.factories import OrganizationFactory

    FormRuleFactory(
        form=form_of("coaching"),
        organization=OrganizationFactory(slug="lain"),
        max_jp_per_activity=Decimal("0.5"),
    )
    assert _confirmed(coachee, widyaiswara, minutes=90).jp == Decimal("2.00")


# The service itself, as another app would call it


def _activity(owner, **overrides):
    today = timezone.localdate()
    arguments = {
        "owner": owner,
        "form": form_of("mentoring"),
        "title": "Mentoring penyusunan anggaran",
        "start_date": today - timedelta(days=1),
        "end_date": today - timedelta(days=1),
        "hours": Decimal(1),
        "report": "Membahas rencana anggaran.",
    } | overrides
    return development_services.record_from_activity(**arguments)


def test_without_held_evidence_a_file_or_link_rule_refuses(coachee):
    FormRuleFactory(
        form=form_of("mentoring"),
        organization=coachee.organization,
        evidence=FormRule.Evidence.FILE_OR_LINK,
    )
    with pytest.raises(ValidationError) as refused:
        _activity(coachee)
    assert "evidence_url" in refused.value.error_dict
    assert not DevelopmentRecord.objects.exists()


def test_a_blank_log_does_not_meet_a_report_rule_even_when_held(coachee):
    FormRuleFactory(
        form=form_of("mentoring"),
        organization=coachee.organization,
        evidence=FormRule.Evidence.REPORT,
    )
    with pytest.raises(ValidationError) as refused:
        _activity(coachee, report="  ", evidence_held=True)
    assert "report" in refused.value.error_dict


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"hours": Decimal(0)}, "hours", "hours"),
        ({"hours": Decimal(25)}, "hours", "hours_exceed_dates"),
        ({"end_date": timezone.localdate() + timedelta(days=1)}, "end_date", "future"),
        ({"start_date": timezone.localdate()}, "end_date", "end_first"),
    ],
)
def test_the_activity_checks_of_a_record_entered_by_hand_apply(coachee, overrides, field, code):
    with pytest.raises(ValidationError) as refused:
        _activity(coachee, evidence_held=True, **overrides)
    assert code in {error.code for error in refused.value.error_dict[field]}


def test_the_exact_hours_give_the_jp_and_the_record_keeps_two_decimals(coachee):
    record = _activity(coachee, hours=Decimal(50) / 60, evidence_held=True)
    assert record.hours == Decimal("0.83") and record.jp == Decimal("1.11")
