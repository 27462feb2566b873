"""The drill-down and the SIASN rows in /api/v1/: the organization's HR only, the pages'
validation, audited."""

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from learners.factories import completed_enrollment
from tests.compliance.conftest import record

pytestmark = pytest.mark.django_db


def test_hr_reads_a_persons_ledger(dewi, hr_b, boss, course_a, client_for):
    completed_enrollment(user=dewi, course=course_a)
    verified = record(dewi, jp="8", verifier=hr_b)
    waiting = record(dewi, jp="5")
    response = client_for(hr_b).get(
        f"/api/v1/organizations/{dewi.organization_id}/people/{dewi.pk}"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["supervisor"] == {"user_id": boss.pk, "name": boss.full_name}
    counted = {entry["record_id"]: entry["counted"] for entry in body["entries"]}
    assert counted[verified.pk] is True and counted[waiting.pk] is False
    assert [item["record_id"] for item in body["waiting"]] == [waiting.pk]
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.RECORD_VIEWED, subject_user=dewi, detail__via="api"
    ).exists()


def test_others_get_404(dewi, boss, hr_other, client_for):
    address = f"/api/v1/organizations/{dewi.organization_id}/people/{dewi.pk}"
    for user in (dewi, boss, hr_other):
        assert client_for(user).get(address).status_code == 404
    assert (
        client_for(hr_other).get(f"/api/v1/organizations/{dewi.organization_id}/siasn").status_code
        == 404
    )


def test_siasn_rows_are_paged_and_validated(dewi, hr_b, client_for):
    for days_ago in (3, 4, 5):
        record(dewi, jp="2", verifier=hr_b, days_ago=days_ago)
    client = client_for(hr_b)
    address = f"/api/v1/organizations/{dewi.organization_id}/siasn"
    first = client.get(address, {"page_size": 2}).json()
    second = client.get(address, {"page_size": 2, "page": 2}).json()
    assert (len(first["results"]), first["has_next"]) == (2, True)
    assert (len(second["results"]), second["has_next"]) == (1, False)
    assert first["results"][0]["nipBaru"] == dewi.nip
    assert first["columns"][:2] == ["nipBaru", "nama"]
    future = client.get(address, {"year": timezone.localdate().year + 1})
    assert future.status_code == 422
    assert "Pilih tahun" in future.json()["detail"]
