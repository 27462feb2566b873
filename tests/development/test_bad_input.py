"""Every bad input the issue names for a development record, through the page's form: refused
with a clear message in Bahasa Indonesia beside the field it is about, and nothing saved. (The
same refusals through the API: tests/development/test_api.py.)"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from development import services
from development.factories import DevelopmentRecordFactory, form_of
from development.models import DevelopmentRecord, EvidenceFile
from learners.factories import UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def indonesian(message: str, **values) -> str:
    with translation.override("id"):
        translated = gettext(message)
    assert translated != message, f"no Indonesian for {message!r}"
    return translated % values if values else translated


def _data(**overrides) -> dict:
    day = (timezone.localdate() - timedelta(days=3)).isoformat()
    return {
        "form": form_of("workshop").pk,
        "title": "Lokakarya Pelayanan Publik",
        "organizer": "BPSDM",
        "start_date": day,
        "end_date": day,
        "hours": "6",
        "report": "",
        "evidence_url": "https://contoh.go.id/sertifikat",
    } | overrides


def _errors(client, **overrides) -> dict[str, list[str]]:
    response = client.post(reverse("development:record_create"), _data(**overrides))
    assert response.status_code == 400
    assert response.headers["Content-Language"].startswith("id")
    form = response.context["form"]
    return {field: list(messages) for field, messages in form.errors.items()}


@pytest.fixture
def client(owner, client_for):
    return client_for(owner)


@pytest.mark.parametrize("hours", ["0", "-1", "-0.5"])
def test_hours_of_zero_or_less(client, hours):
    assert _errors(client, hours=hours) == {
        "hours": [indonesian("The number of hours must be more than zero.")]
    }
    assert not DevelopmentRecord.objects.exists()


def test_more_hours_than_the_dates_allow(client):
    today = timezone.localdate()
    errors = _errors(
        client,
        start_date=(today - timedelta(days=3)).isoformat(),
        end_date=(today - timedelta(days=2)).isoformat(),
        hours="48.5",
    )
    assert errors == {
        "hours": [
            indonesian(
                "%(hours)s hours do not fit in %(days)s day(s): at most 24 hours a day.",
                hours="48.5",
                days=2,
            )
        ]
    }


def test_end_before_start(client):
    today = timezone.localdate()
    errors = _errors(
        client,
        start_date=(today - timedelta(days=2)).isoformat(),
        end_date=(today - timedelta(days=4)).isoformat(),
    )
    assert errors == {"end_date": [indonesian("The end date cannot be before the start date.")]}


def test_dates_in_the_future_for_a_completed_activity(client):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    errors = _errors(client, end_date=tomorrow)
    assert errors == {
        "end_date": [
            indonesian(
                "Record an activity once it has taken place: its dates cannot be in the future."
            )
        ]
    }


def test_a_record_identical_to_one_already_there(client, owner):
    DevelopmentRecordFactory(
        owner=owner,
        title="Lokakarya Pelayanan Publik",
        start_date=timezone.localdate() - timedelta(days=3),
        end_date=timezone.localdate() - timedelta(days=3),
    )
    errors = _errors(client, title="LOKAKARYA pelayanan publik")
    assert errors == {
        "title": [indonesian("You already recorded this activity with the same form and dates.")]
    }
    assert DevelopmentRecord.objects.count() == 1


def test_a_rejected_record_may_be_recorded_again(client, owner):
    DevelopmentRecordFactory(
        owner=owner,
        title="Lokakarya Pelayanan Publik",
        start_date=timezone.localdate() - timedelta(days=3),
        end_date=timezone.localdate() - timedelta(days=3),
        status=DevelopmentRecord.Status.REJECTED,
    )
    response = client.post(reverse("development:record_create"), _data())
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("name", "content", "message", "values"),
    [
        (
            "program.exe",
            b"MZ\x90\x00",
            "Evidence must be one of these file types: %(types)s.",
            {"types": "docx, jpeg, jpg, odt, pdf, png, pptx, xlsx"},
        ),
        (
            "sertifikat.pdf",
            PNG,
            "The content of this file is not a .%(extension)s file. Upload the original file, "
            "not a renamed one.",
            {"extension": "pdf"},
        ),
    ],
)
def test_evidence_of_the_wrong_type(client, name, content, message, values):
    errors = _errors(client, evidence_file=SimpleUploadedFile(name, content))
    assert errors == {"evidence_file": [indonesian(message, **values)]}
    assert not EvidenceFile.objects.exists() and not DevelopmentRecord.objects.exists()


def test_evidence_too_large(client, settings):
    settings.LENTERA_EVIDENCE_MAX_BYTES = 2 * 1024 * 1024
    big = SimpleUploadedFile("sertifikat.pdf", PDF + b"0" * (2 * 1024 * 1024))
    errors = _errors(client, evidence_file=big)
    assert errors == {
        "evidence_file": [indonesian("The file is too large: at most %(size)s MB.", size=2)]
    }
    assert not DevelopmentRecord.objects.exists()


def test_verifying_a_record_of_someone_outside_ones_team_is_not_found(owner, client_for):
    record = DevelopmentRecordFactory(owner=owner)
    outsider = UserFactory(email="atasan.lain@ku.go.id", organization=owner.organization)
    DevelopmentRecordFactory(owner=UserFactory(email="tim@ku.go.id", supervised_by=outsider))
    client = client_for(outsider)
    for name, data in [
        ("development:record_decide", {"decision": "verify", "note": ""}),
        ("development:record_revoke", {"reason": "Salah"}),
    ]:
        assert client.post(reverse(name, args=[record.pk]), data).status_code == 404
    assert client.get(reverse("development:record_detail", args=[record.pk])).status_code == 404
    record.refresh_from_db()
    assert record.status == DevelopmentRecord.Status.SUBMITTED


def test_an_edit_gets_the_same_refusals(owner, client_for):
    record = services.record_create(
        owner=owner,
        form=form_of("workshop"),
        title="Lokakarya Data",
        start_date=timezone.localdate() - timedelta(days=5),
        end_date=timezone.localdate() - timedelta(days=5),
        hours=Decimal("6"),
        evidence_url="https://contoh.go.id/a",
    )
    response = client_for(owner).post(
        reverse("development:record_edit", args=[record.pk]), _data(hours="0")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["hours"] == [
        indonesian("The number of hours must be more than zero.")
    ]
    record.refresh_from_db()
    assert record.hours == Decimal("6")
