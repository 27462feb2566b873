"""The owner sends a record returned for changes back as it now stands (`record_submit`), and
gives, changes or removes its evidence link (`evidence_link_set`): the services the API calls."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from development import services
from development.factories import DevelopmentRecordFactory, form_of
from development.models import DevelopmentRecord

pytestmark = pytest.mark.django_db
Status = DevelopmentRecord.Status
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def test_a_record_returned_for_changes_is_submitted_again(owner, supervisor):
    record = DevelopmentRecordFactory(owner=owner)
    services.record_request_changes(record=record, verifier=supervisor, note="Perbaiki.")
    record = services.record_submit(record=record, user=owner)
    assert record.status == Status.SUBMITTED
    # The verifier decides it again as any waiting record.
    assert services.record_verify(record=record, verifier=supervisor).status == Status.VERIFIED


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (Status.SUBMITTED, "already_submitted"),
        (Status.VERIFIED, "not_editable"),
        (Status.REJECTED, "not_editable"),
        (Status.REVOKED, "not_editable"),
    ],
)
def test_only_a_record_returned_for_changes_is_submitted_again(owner, status, code):
    record = DevelopmentRecordFactory(owner=owner, status=status)
    with pytest.raises(ValidationError) as refused:
        services.record_submit(record=record, user=owner)
    assert refused.value.code == code
    record.refresh_from_db()
    assert record.status == status


def test_nobody_else_submits_or_links_the_record(owner, supervisor, other_learner):
    record = DevelopmentRecordFactory(owner=owner, status=Status.CHANGES_REQUESTED)
    for person in (supervisor, other_learner):
        with pytest.raises(PermissionDenied):
            services.record_submit(record=record, user=person)
        with pytest.raises(PermissionDenied):
            services.evidence_link_set(record=record, user=person, url="https://x.go.id")
    record.refresh_from_db()
    assert record.status == Status.CHANGES_REQUESTED


def test_the_link_is_checked_and_the_last_evidence_kept(owner):
    record = DevelopmentRecordFactory(owner=owner)
    record = services.evidence_link_set(record=record, user=owner, url=" https://bukti.go.id/a ")
    assert record.evidence_url == "https://bukti.go.id/a"
    for url, code in [
        ("ftp://bukti.go.id/a", "url"),
        ("https://bukti.go.id/" + "a" * 500, "url_length"),
        ("", "evidence_required"),  # the workshop needs a file or a link
    ]:
        with pytest.raises(ValidationError) as refused:
            services.evidence_link_set(record=record, user=owner, url=url)
        assert refused.value.error_dict["evidence_url"][0].code == code
    record.refresh_from_db()
    assert record.evidence_url == "https://bukti.go.id/a"


def test_the_link_may_go_once_a_file_proves_the_record(owner):
    record = services.record_create(
        owner=owner,
        form=form_of("workshop"),
        title="Lokakarya Berkas",
        start_date=timezone.localdate() - timedelta(days=2),
        end_date=timezone.localdate() - timedelta(days=2),
        hours=Decimal("4"),
        evidence_url="https://bukti.go.id/a",
        files=[SimpleUploadedFile("a.pdf", PDF)],
    )
    assert services.evidence_link_set(record=record, user=owner, url="").evidence_url == ""
