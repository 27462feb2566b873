"""Development records: the rules of recording, JP and caps, and who verifies."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEvent
from development import services
from development.factories import DevelopmentRecordFactory, FormRuleFactory, form_of
from development.models import DevelopmentRecord, EvidenceFile, FormRule
from development.selectors import records_to_verify

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}


def _activity(**overrides) -> dict:
    today = timezone.localdate()
    values = {
        "form": form_of("workshop"),
        "title": "Lokakarya Analisis Kebijakan",
        "organizer": "LAN",
        "start_date": today - timedelta(days=10),
        "end_date": today - timedelta(days=9),
        "hours": Decimal("12"),
        "evidence_url": "https://lan.go.id/sertifikat/123",
    }
    return values | overrides


def _create(owner, **overrides) -> DevelopmentRecord:
    return services.record_create(owner=owner, **_activity(**overrides))


# Recording


def test_record_create_computes_jp_from_hours(owner):
    record = _create(owner, hours=Decimal("12"))
    assert record.status == DevelopmentRecord.Status.SUBMITTED
    assert record.jp == Decimal("16.00")  # 12 h × 60 / 45


def test_jp_follows_the_minutes_per_jp_setting(owner, settings):
    settings.LENTERA_MINUTES_PER_JP = 60
    assert _create(owner, hours=Decimal("7.5")).jp == Decimal("7.50")


def test_jp_is_rounded_to_two_decimals(owner):
    assert _create(owner, hours=Decimal("1")).jp == Decimal("1.33")


def test_seminar_jp_is_capped_per_activity(owner):
    record = _create(owner, form=form_of("seminar"), hours=Decimal("16"))
    assert record.jp == Decimal("4.00")


def test_organization_rule_overrides_the_national_default(owner):
    FormRuleFactory(
        form=form_of("seminar"), organization=owner.organization, max_jp_per_activity=Decimal("2")
    )
    assert _create(owner, form=form_of("seminar"), hours=Decimal("16")).jp == Decimal("2.00")
    national = services.rule_for(form=form_of("seminar"), organization=None)
    assert national.organization_id is None and national.max_jp_per_activity == Decimal("4")


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"hours": Decimal("0")}, "hours", "hours"),
        ({"hours": Decimal("-2")}, "hours", "hours"),
        ({"hours": Decimal("49")}, "hours", "hours_exceed_dates"),  # 2 days, 48 h at most
        (
            {
                "start_date": timezone.localdate() - timedelta(days=3),
                "end_date": timezone.localdate() - timedelta(days=5),
            },
            "end_date",
            "end_first",
        ),
        (
            {
                "start_date": timezone.localdate(),
                "end_date": timezone.localdate() + timedelta(days=1),
            },
            "end_date",
            "future",
        ),
    ],
)
def test_record_create_refuses_bad_activity(owner, overrides, field, code):
    with pytest.raises(ValidationError) as refused:
        _create(owner, **overrides)
    assert code in _codes(refused.value)[field]
    assert not DevelopmentRecord.objects.exists()


def test_an_identical_record_is_refused_unless_the_first_was_rejected(owner):
    first = _create(owner)
    with pytest.raises(ValidationError) as refused:
        _create(owner, title=" lokakarya analisis kebijakan ")
    assert _codes(refused.value) == {"title": ["duplicate"]}
    DevelopmentRecord.objects.filter(pk=first.pk).update(status=DevelopmentRecord.Status.REJECTED)
    assert _create(owner).pk != first.pk


def test_self_study_needs_a_report_and_evidence(owner):
    with pytest.raises(ValidationError) as refused:
        _create(owner, form=form_of("belajar-mandiri"), evidence_url="", report="")
    assert _codes(refused.value) == {
        "report": ["report_required"],
        "evidence_url": ["evidence_required"],
    }
    assert not DevelopmentRecord.objects.exists()  # rolled back with the refusal
    record = _create(
        owner,
        form=form_of("belajar-mandiri"),
        evidence_url="",
        report="Membaca buku tentang kebijakan publik.",
        files=[SimpleUploadedFile("catatan.pdf", PDF)],
    )
    assert record.evidence_files.get().content_type == "application/pdf"


def test_coaching_needs_a_report_only(owner):
    with pytest.raises(ValidationError) as refused:
        _create(owner, form=form_of("coaching"), evidence_url="")
    assert _codes(refused.value) == {"report": ["report_required"]}


# Evidence


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("sertifikat.exe", b"MZ\x90\x00", "file_type"),
        ("halaman.html", b"<html></html>", "file_type"),
        ("sertifikat.pdf", b"<html><script>alert(1)</script>", "content_mismatch"),
        ("foto.png", PDF, "content_mismatch"),
        ("foto.jpg", PNG, "content_mismatch"),
    ],
)
def test_evidence_add_refuses_bad_files(owner, name, content, code):
    record = _create(owner)
    with pytest.raises(ValidationError) as refused:
        services.evidence_add(record=record, user=owner, file=SimpleUploadedFile(name, content))
    assert refused.value.code == code
    assert not EvidenceFile.objects.exists()


def test_evidence_add_refuses_a_file_too_large(owner, settings):
    settings.LENTERA_EVIDENCE_MAX_BYTES = 1024
    record = _create(owner)
    with pytest.raises(ValidationError) as refused:
        services.evidence_add(
            record=record, user=owner, file=SimpleUploadedFile("besar.pdf", PDF + b"0" * 1024)
        )
    assert refused.value.code == "file_size"


def test_evidence_is_stored_privately_under_a_random_name(owner, settings):
    record = _create(owner)
    evidence = services.evidence_add(
        record=record, user=owner, file=SimpleUploadedFile("Foto Kegiatan.png", PNG)
    )
    assert evidence.original_name == "Foto Kegiatan.png"
    assert evidence.size == len(PNG) and evidence.content_type == "image/png"
    assert "Foto" not in evidence.file.name
    assert evidence.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))


def test_only_the_owner_adds_evidence_while_editable(owner, other_learner, supervisor):
    record = _create(owner)
    with pytest.raises(PermissionDenied):
        services.evidence_add(
            record=record, user=other_learner, file=SimpleUploadedFile("a.pdf", PDF)
        )
    services.record_verify(record=record, verifier=supervisor)
    with pytest.raises(ValidationError) as refused:
        services.evidence_add(record=record, user=owner, file=SimpleUploadedFile("a.pdf", PDF))
    assert refused.value.code == "not_editable"


# Updating


def test_record_update_resubmits_a_record_returned_for_changes(owner, supervisor):
    record = _create(owner)
    services.record_request_changes(
        record=record, verifier=supervisor, note="Lampirkan sertifikat."
    )
    updated = services.record_update(
        record=record, user=owner, **_activity(hours=Decimal("6"), title="Lokakarya (revisi)")
    )
    assert updated.status == DevelopmentRecord.Status.SUBMITTED
    assert updated.jp == Decimal("8.00")


def test_record_update_is_the_owners_alone_and_only_while_editable(owner, other_learner, hr):
    record = _create(owner)
    with pytest.raises(PermissionDenied):
        services.record_update(record=record, user=other_learner, **_activity())
    services.record_reject(record=record, verifier=hr, note="Bukan kegiatan pengembangan.")
    with pytest.raises(ValidationError):
        services.record_update(record=record, user=owner, **_activity())


def test_record_update_does_not_count_the_record_itself_as_a_duplicate(owner):
    record = _create(owner)
    services.record_update(record=record, user=owner, **_activity(organizer="LAN RI"))
    record.refresh_from_db()
    assert record.organizer == "LAN RI"


# Verifying


def test_confirmed_supervisor_verifies_with_audit_and_email(
    owner, supervisor, django_capture_on_commit_callbacks
):
    record = _create(owner)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_verify(record=record, verifier=supervisor, note="Baik.")
    record.refresh_from_db()
    assert record.status == DevelopmentRecord.Status.VERIFIED
    assert record.decided_by == supervisor and record.decided_at is not None
    event = AuditEvent.objects.get(action=AuditEvent.Action.DEVELOPMENT_RECORD_DECIDED)
    assert event.actor == supervisor and event.subject_user == owner
    assert event.organization_id == owner.organization_id
    assert event.detail["to"] == "verified"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [owner.email]
    assert "terverifikasi" in message.subject.lower()
    assert f"/saya/pengembangan/{record.pk}/" in message.body


def test_hr_of_the_owners_organization_verifies(owner, hr):
    record = services.record_verify(record=_create(owner), verifier=hr)
    assert record.status == DevelopmentRecord.Status.VERIFIED


@pytest.mark.parametrize("who", ["owner", "other_learner", "hr_other"])
def test_the_wrong_people_cannot_verify(owner, who, request):
    record = _create(owner)
    with pytest.raises(PermissionDenied):
        services.record_verify(record=record, verifier=request.getfixturevalue(who))
    record.refresh_from_db()
    assert record.status == DevelopmentRecord.Status.SUBMITTED
    assert not AuditEvent.objects.exists()


def test_a_supervisor_not_yet_confirmed_cannot_verify(owner_named_unconfirmed):
    learner, boss = owner_named_unconfirmed
    record = _create(learner)
    with pytest.raises(PermissionDenied):
        services.record_verify(record=record, verifier=boss)


def test_hr_cannot_verify_their_own_record(hr):
    record = _create(hr)
    with pytest.raises(PermissionDenied):
        services.record_verify(record=record, verifier=hr)
    assert record not in records_to_verify(hr)


@pytest.mark.parametrize("decide", [services.record_reject, services.record_request_changes])
def test_rejecting_or_asking_for_changes_needs_a_note(owner, supervisor, decide):
    record = _create(owner)
    with pytest.raises(ValidationError) as refused:
        decide(record=record, verifier=supervisor, note="  ")
    assert _codes(refused.value) == {"note": ["note_required"]}
    record.refresh_from_db()
    assert record.status == DevelopmentRecord.Status.SUBMITTED


def test_a_decided_record_cannot_be_decided_again(owner, supervisor, hr):
    record = _create(owner)
    services.record_reject(record=record, verifier=supervisor, note="Tidak relevan.")
    with pytest.raises(ValidationError) as refused:
        services.record_verify(record=record, verifier=hr)
    assert refused.value.code == "already_decided"


def test_revoking_needs_a_verified_record_and_a_reason(
    owner, supervisor, django_capture_on_commit_callbacks
):
    record = _create(owner)
    with pytest.raises(ValidationError):
        services.record_revoke(record=record, verifier=supervisor, reason="Salah.")
    services.record_verify(record=record, verifier=supervisor)
    with pytest.raises(ValidationError) as refused:
        services.record_revoke(record=record, verifier=supervisor, reason="")
    assert _codes(refused.value) == {"note": ["note_required"]}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_revoke(record=record, verifier=supervisor, reason="Sertifikat palsu.")
    record.refresh_from_db()
    assert record.status == DevelopmentRecord.Status.REVOKED
    assert record.decision_note == "Sertifikat palsu."
    assert AuditEvent.objects.filter(detail__to="revoked").count() == 1
    assert len(mail.outbox) == 1 and "Sertifikat palsu." in mail.outbox[0].body


def test_rule_set_is_for_the_organizations_hr(owner, hr, hr_other):
    seminar = form_of("seminar")
    with pytest.raises(PermissionDenied):
        services.rule_set(
            organization=owner.organization,
            form=seminar,
            user=hr_other,
            max_jp_per_activity=None,
            max_jp_per_year=None,
            evidence=FormRule.Evidence.NONE,
        )
    rule = services.rule_set(
        organization=owner.organization,
        form=seminar,
        user=hr,
        max_jp_per_activity=Decimal("3"),
        max_jp_per_year=None,
        evidence=FormRule.Evidence.FILE_OR_LINK,
    )
    assert services.rule_for(form=seminar, organization=owner.organization) == rule


def test_the_database_records_an_activity_once_unless_rejected(owner):
    first = DevelopmentRecordFactory(owner=owner, title="Lokakarya Sama")
    with pytest.raises(IntegrityError), transaction.atomic():
        DevelopmentRecordFactory(
            owner=owner,
            title="LOKAKARYA SAMA",
            start_date=first.start_date,
            end_date=first.end_date,
        )
    DevelopmentRecord.objects.filter(pk=first.pk).update(status=DevelopmentRecord.Status.REJECTED)
    DevelopmentRecordFactory(
        owner=owner, title="Lokakarya Sama", start_date=first.start_date, end_date=first.end_date
    )


def test_a_duplicate_racing_past_the_check_gets_the_same_refusal(owner, monkeypatch):
    first = _create(owner)
    # The second request checked before the first was saved: only the database sees it.
    monkeypatch.setattr(services, "_validate_activity", lambda **kwargs: None)
    with pytest.raises(ValidationError) as refused:
        _create(owner)
    assert _codes(refused.value) == {"title": ["duplicate"]}
    assert DevelopmentRecord.objects.get() == first


def test_evidence_remove_keeps_the_evidence_the_rule_asks_for(
    owner, other_learner, django_capture_on_commit_callbacks
):
    record = _create(owner, evidence_url="", files=[SimpleUploadedFile("a.pdf", PDF)])
    only = record.evidence_files.get()
    with pytest.raises(ValidationError) as refused:
        services.evidence_remove(evidence=only, user=owner)
    assert refused.value.code == "evidence_required"
    second = services.evidence_add(record=record, user=owner, file=SimpleUploadedFile("b.png", PNG))
    with pytest.raises(PermissionDenied):
        services.evidence_remove(evidence=second, user=other_learner)
    storage, name = second.file.storage, second.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_remove(evidence=second, user=owner)
    assert list(record.evidence_files.all()) == [only]
    assert not storage.exists(name)


# Notifications (issue 20): the owner is told of each decision, in the list as well as by e-mail.


@pytest.mark.parametrize(
    ("decide", "note"),
    [
        (services.record_verify, ""),
        (services.record_reject, "Bukan kegiatan pengembangan."),
        (services.record_request_changes, "Lampirkan sertifikatnya."),
    ],
)
def test_a_decision_notifies_the_owner_once(owner, supervisor, decide, note):
    from notifications.models import Notification

    record = _create(owner)
    decide(record=record, verifier=supervisor, note=note)
    notification = Notification.objects.get()
    assert (notification.recipient, notification.actor) == (owner, supervisor)
    assert notification.kind == Notification.Kind.RECORD_DECISION
    assert notification.subject == "Lokakarya Analisis Kebijakan"
    assert notification.url == f"/saya/pengembangan/{record.pk}/"


def test_a_refused_decision_notifies_nobody(owner, other_learner):
    from notifications.models import Notification

    with pytest.raises(PermissionDenied):
        services.record_verify(record=_create(owner), verifier=other_learner)
    assert not Notification.objects.exists()
