"""Development pages as each role sees them: the owner, the confirmed supervisor, HR, and the
wrong people (another learner, a supervisor not confirmed, HR of another organization)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from development import services
from development.factories import DevelopmentRecordFactory, form_of
from development.models import DevelopmentRecord, FormRule
from learners.factories import UserFactory
from tests.utils import count_queries

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def _post_data(**overrides) -> dict:
    today = timezone.localdate()
    data = {
        "form": form_of("workshop").pk,
        "title": "Lokakarya Pelayanan Publik",
        "organizer": "BPSDM",
        "start_date": (today - timedelta(days=3)).isoformat(),
        "end_date": (today - timedelta(days=3)).isoformat(),
        "hours": "6",
        "report": "",
        "evidence_url": "",
    }
    return data | overrides


@pytest.fixture
def record(owner):
    record = services.record_create(
        owner=owner,
        form=form_of("workshop"),
        title="Lokakarya Data",
        start_date=timezone.localdate() - timedelta(days=5),
        end_date=timezone.localdate() - timedelta(days=5),
        hours=Decimal("6"),
        files=[SimpleUploadedFile("sertifikat.pdf", PDF)],
    )
    return record


# The learner


def test_learner_records_an_activity_with_evidence(owner, client_for):
    response = client_for(owner).post(
        reverse("development:record_create"),
        _post_data(evidence_file=SimpleUploadedFile("sertifikat.pdf", PDF)),
    )
    assert response.status_code == 302
    record = DevelopmentRecord.objects.get(owner=owner)
    assert record.jp == Decimal("8.00") and record.evidence_files.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("sertifikat.exe", b"MZ\x90\x00", "file_type"),
        ("sertifikat.pdf", b"<html><script></script></html>", "content_mismatch"),
    ],
)
def test_bad_evidence_is_refused_with_the_form_shown_again(owner, client_for, name, content, code):
    response = client_for(owner).post(
        reverse("development:record_create"),
        _post_data(evidence_file=SimpleUploadedFile(name, content)),
    )
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert response.context["form"].has_error("evidence_file", code)
    assert not DevelopmentRecord.objects.exists()


def test_a_file_too_large_is_refused(owner, client_for, settings):
    settings.LENTERA_EVIDENCE_MAX_BYTES = 100
    response = client_for(owner).post(
        reverse("development:record_create"),
        _post_data(evidence_file=SimpleUploadedFile("s.pdf", PDF + b"0" * 200)),
    )
    assert response.status_code == 400
    assert not DevelopmentRecord.objects.exists()


def test_future_dates_are_refused_beside_their_field(owner, client_for):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client_for(owner).post(
        reverse("development:record_create"),
        _post_data(start_date=tomorrow, end_date=tomorrow, evidence_url="https://a.go.id/s"),
    )
    assert response.status_code == 400
    assert response.context["form"].has_error("end_date", "future")


def test_owner_edits_a_record_returned_for_changes(owner, supervisor, record, client_for):
    services.record_request_changes(record=record, verifier=supervisor, note="Perbaiki jam.")
    client = client_for(owner)
    page = client.get(reverse("development:record_edit", args=[record.pk]))
    assert "Perbaiki jam." in page.content.decode()
    response = client.post(
        reverse("development:record_edit", args=[record.pk]),
        _post_data(title="Lokakarya Data", hours="3"),
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == DevelopmentRecord.Status.SUBMITTED and record.jp == Decimal("4.00")


def test_a_decided_record_cannot_be_edited(owner, supervisor, record, client_for):
    services.record_verify(record=record, verifier=supervisor)
    response = client_for(owner).post(
        reverse("development:record_edit", args=[record.pk]), _post_data(hours="3")
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.hours == Decimal("6")


def test_the_list_shows_status_and_jp(owner, record, client_for):
    text = client_for(owner).get(reverse("development:record_list")).content.decode()
    assert "Lokakarya Data" in text and "8" in text


def test_my_learning_links_to_development_records(owner, client_for, site_tree):
    text = client_for(owner).get(reverse("learners:my_learning")).content.decode()
    assert reverse("development:record_list") in text


# Who sees a record and its evidence


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("owner", 200),
        ("supervisor", 200),
        ("hr", 200),
        ("other_learner", 404),
        ("hr_other", 404),
    ],
)
def test_record_and_evidence_are_seen_only_by_owner_supervisor_and_hr(
    record, who, expected, request, client_for
):
    client = client_for(request.getfixturevalue(who))
    evidence = record.evidence_files.get()
    detail = client.get(reverse("development:record_detail", args=[record.pk]))
    download = client.get(reverse("development:evidence_download", args=[record.pk, evidence.pk]))
    assert detail.status_code == expected
    assert download.status_code == expected
    viewed = AuditEvent.objects.filter(
        action=AuditEvent.Action.RECORD_VIEWED, subject_user=record.owner
    )
    assert viewed.count() == (1 if who in ("supervisor", "hr") else 0)
    if expected == 200:
        assert b"".join(download.streaming_content) == PDF
        assert download["Content-Type"] == "application/pdf"
        assert "attachment" in download["Content-Disposition"]


def test_an_unconfirmed_supervisor_sees_nothing(owner_named_unconfirmed, client_for):
    learner, boss = owner_named_unconfirmed
    record = DevelopmentRecordFactory(owner=learner)
    client = client_for(boss)
    assert client.get(reverse("development:record_detail", args=[record.pk])).status_code == 404
    response = client.post(
        reverse("development:record_decide", args=[record.pk]), {"decision": "verify"}
    )
    assert response.status_code == 404
    assert record not in client.get(reverse("development:verification_queue")).context["records"]


# Verifying


def test_supervisor_verifies_from_the_queue(owner, supervisor, record, client_for):
    client = client_for(supervisor)
    queue = client.get(reverse("development:verification_queue"))
    assert list(queue.context["records"]) == [record]
    response = client.post(
        reverse("development:record_decide", args=[record.pk]), {"decision": "verify", "note": ""}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == DevelopmentRecord.Status.VERIFIED


def test_rejecting_without_a_note_changes_nothing(supervisor, record, client_for):
    client = client_for(supervisor)
    response = client.post(
        reverse("development:record_decide", args=[record.pk]), {"decision": "reject", "note": ""}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == DevelopmentRecord.Status.SUBMITTED


@pytest.mark.parametrize("who", ["owner", "other_learner", "hr_other"])
def test_the_wrong_people_get_404_when_deciding(record, who, request, client_for):
    client = client_for(request.getfixturevalue(who))
    response = client.post(
        reverse("development:record_decide", args=[record.pk]), {"decision": "verify"}
    )
    assert response.status_code == 404
    record.refresh_from_db()
    assert record.status == DevelopmentRecord.Status.SUBMITTED


def test_hr_revokes_a_verified_record(supervisor, hr, record, client_for):
    services.record_verify(record=record, verifier=supervisor)
    client = client_for(hr)
    response = client.post(
        reverse("development:record_revoke", args=[record.pk]), {"reason": "Tercatat dua kali."}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == DevelopmentRecord.Status.REVOKED


def test_hr_of_another_organization_cannot_revoke(supervisor, hr_other, record, client_for):
    services.record_verify(record=record, verifier=supervisor)
    response = client_for(hr_other).post(
        reverse("development:record_revoke", args=[record.pk]), {"reason": "Coba."}
    )
    assert response.status_code == 404
    record.refresh_from_db()
    assert record.status == DevelopmentRecord.Status.VERIFIED


# HR's rules


def test_hr_sets_a_rule_for_their_organization(hr, organization, client_for):
    seminar = form_of("seminar")
    client = client_for(hr)
    assert client.get(reverse("development:rule_list")).status_code == 200
    response = client.post(
        reverse("development:rule_edit", args=[organization.pk, seminar.pk]),
        {"max_jp_per_activity": "2", "max_jp_per_year": "", "evidence": "file_or_link"},
    )
    assert response.status_code == 302
    rule = FormRule.objects.get(form=seminar, organization=organization)
    assert rule.max_jp_per_activity == Decimal("2") and rule.max_jp_per_year is None


def test_rules_of_another_organization_are_404(hr_other, organization, owner, client_for):
    seminar = form_of("seminar")
    assert (
        client_for(hr_other)
        .post(
            reverse("development:rule_edit", args=[organization.pk, seminar.pk]),
            {"max_jp_per_activity": "1", "evidence": "none"},
        )
        .status_code
        == 404
    )
    assert client_for(owner).get(reverse("development:rule_list")).status_code == 404
    assert not FormRule.objects.filter(organization=organization).exists()


# Queries do not grow with the records


def test_list_and_queue_queries_do_not_grow(owner, supervisor, hr, client_for):
    def add(count: int) -> None:
        for _ in range(count):
            DevelopmentRecordFactory(owner=owner)
            DevelopmentRecordFactory(
                owner=UserFactory(organization=owner.organization), status="verified"
            )

    add(1)
    owner_client, supervisor_client, hr_client = (
        client_for(owner),
        client_for(supervisor),
        client_for(hr),
    )
    pages = [
        (owner_client, reverse("development:record_list")),
        (supervisor_client, reverse("development:verification_queue")),
        (hr_client, reverse("development:verification_queue")),
        (hr_client, reverse("development:rule_list")),
    ]
    few = [count_queries(client, url) for client, url in pages]
    add(15)
    assert [count_queries(client, url) for client, url in pages] == few


def test_owner_removes_a_file_while_the_record_can_change(owner, record, client_for):
    extra = services.evidence_add(
        record=record, user=owner, file=SimpleUploadedFile("kedua.pdf", PDF)
    )
    client = client_for(owner)
    assert (
        "kedua.pdf"
        in client.get(reverse("development:record_detail", args=[record.pk])).content.decode()
    )
    response = client.post(reverse("development:evidence_remove", args=[record.pk, extra.pk]))
    assert response.status_code == 302
    assert record.evidence_files.count() == 1
    # The last file of a form that needs evidence stays.
    only = record.evidence_files.get()
    client.post(reverse("development:evidence_remove", args=[record.pk, only.pk]))
    assert record.evidence_files.get() == only


def test_others_cannot_remove_evidence(record, supervisor, client_for):
    evidence = record.evidence_files.get()
    response = client_for(supervisor).post(
        reverse("development:evidence_remove", args=[record.pk, evidence.pk])
    )
    assert response.status_code == 404
    assert record.evidence_files.exists()


def test_the_queue_holds_only_the_verifiers_people(
    owner, supervisor, hr, hr_other, other_organization, owner_named_unconfirmed, client_for
):
    mine = DevelopmentRecordFactory(owner=owner)
    learner, boss = owner_named_unconfirmed
    unconfirmed = DevelopmentRecordFactory(owner=learner)
    elsewhere = DevelopmentRecordFactory(owner=UserFactory(organization=other_organization))
    DevelopmentRecordFactory(owner=owner, status=DevelopmentRecord.Status.VERIFIED)
    DevelopmentRecordFactory(owner=hr)  # HR's own record is not HR's to verify

    def queue(user) -> set:
        response = client_for(user).get(reverse("development:verification_queue"))
        return set(response.context["records"])

    assert queue(supervisor) == {mine}
    assert queue(boss) == set()
    assert queue(hr) == {mine, unconfirmed}
    assert queue(hr_other) == {elsewhere}
