"""Development records and their verification in the learner API (/api/v1/), as each role uses
it: the owner, the confirmed supervisor, HR, and the wrong people (another learner, HR of another
organization, a supervisor not confirmed). Every refusal is the services', in Bahasa Indonesia,
beside the field it is about."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.translation import gettext

from development import services
from development.factories import DevelopmentRecordFactory, FormRuleFactory, form_of
from development.models import DevelopmentRecord, EvidenceFile, FormRule
from learners.factories import UserFactory
from tests.utils import count_queries

pytestmark = pytest.mark.django_db

API = "/api/v1"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def indonesian(message: str) -> str:
    with translation.override("id"):
        translated = gettext(message)
    assert translated != message, f"no Indonesian for {message!r}"
    return translated


def _body(**overrides) -> dict:
    day = (timezone.localdate() - timedelta(days=3)).isoformat()
    return {
        "form": "workshop",
        "title": "Lokakarya Pelayanan Publik",
        "organizer": "BPSDM",
        "start_date": day,
        "end_date": day,
        "hours": "6",
        "evidence_url": "https://contoh.go.id/sertifikat",
    } | overrides


def _post(client, url, body=None):
    return client.post(API + url, json.dumps(body or {}), content_type="application/json")


def _put(client, url, body):
    return client.put(API + url, json.dumps(body), content_type="application/json")


def _field_errors(response) -> dict[str, list[str]]:
    assert response.status_code == 422, response.content
    errors: dict[str, list[str]] = {}
    for error in response.json()["errors"]:
        errors.setdefault(error["field"], []).append(error["detail"])
    return errors


@pytest.fixture
def record(owner):
    return DevelopmentRecordFactory(owner=owner, title="Lokakarya Data")


# The owner's records


def test_owner_records_an_activity_and_reads_it_back(owner, client_for):
    client = client_for(owner)
    response = _post(client, "/me/development-records", _body(competencies=[]))
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "submitted" and created["form"] == "workshop"
    assert Decimal(created["jp"]) == Decimal("8.00")  # 6 hours, 45 minutes a JP
    assert created["owner"]["name"] == "Pegawai Satu" and created["editable"] is True
    detail = client.get(f"{API}/me/development-records/{created['id']}").json()
    assert detail == created


def test_owner_lists_own_records_by_status_a_page_at_a_time(owner, other_learner, client_for):
    DevelopmentRecordFactory.create_batch(3, owner=owner)
    DevelopmentRecordFactory(owner=owner, status=DevelopmentRecord.Status.VERIFIED)
    DevelopmentRecordFactory(owner=other_learner)
    client = client_for(owner)
    page = client.get(f"{API}/me/development-records?page_size=2&page=2").json()
    assert (page["count"], page["pages"], page["page"], len(page["results"])) == (4, 2, 2, 2)
    verified = client.get(f"{API}/me/development-records?status=verified").json()
    assert [row["status"] for row in verified["results"]] == ["verified"]
    assert client.get(f"{API}/me/development-records?status=lost").status_code == 422
    assert client.get(f"{API}/me/development-records?page_size=1000").status_code == 422


def test_nobody_else_reads_or_changes_the_owner_record(
    record, other_learner, supervisor, hr, client_for
):
    for person in (other_learner, supervisor, hr):
        client = client_for(person)
        base = f"/me/development-records/{record.pk}"
        assert client.get(API + base).status_code == 404
        assert _put(client, base, _body()).status_code == 404
        assert _post(client, base + "/submission").status_code == 404
        assert _put(client, base + "/evidence-link", {"url": ""}).status_code == 404
    record.refresh_from_db()
    assert record.title == "Lokakarya Data"


def test_owner_corrects_a_record_returned_for_changes_which_goes_back(
    record, supervisor, client_for
):
    services.record_request_changes(record=record, verifier=supervisor, note="Lengkapi.")
    response = _put(
        client_for(record.owner),
        f"/me/development-records/{record.pk}",
        _body(title="Lokakarya Data Terbuka", hours="3"),
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"
    assert response.json()["title"] == "Lokakarya Data Terbuka"


def test_a_decided_record_no_longer_changes(record, supervisor, client_for):
    services.record_verify(record=record, verifier=supervisor)
    client = client_for(record.owner)
    response = _put(client, f"/me/development-records/{record.pk}", _body())
    assert response.status_code == 409
    assert response.json() == {
        "code": "not_editable",
        "detail": indonesian("This record has been decided and can no longer change."),
    }
    file = SimpleUploadedFile("bukti.pdf", PDF)
    response = client.post(
        f"{API}/me/development-records/{record.pk}/evidence-files", {"file": file}
    )
    assert response.status_code == 409


def test_owner_submits_again_after_adding_the_evidence_asked_for(record, supervisor, client_for):
    services.record_request_changes(record=record, verifier=supervisor, note="Unggah sertifikat.")
    client = client_for(record.owner)
    url = f"{API}/me/development-records/{record.pk}"
    uploaded = client.post(url + "/evidence-files", {"file": SimpleUploadedFile("s.pdf", PDF)})
    assert uploaded.status_code == 201
    assert uploaded.json()["content_type"] == "application/pdf"
    response = _post(client, f"/me/development-records/{record.pk}/submission")
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert response.json()["evidence_count"] == 1
    # Once waiting, submitting again is a conflict, said in words.
    again = _post(client, f"/me/development-records/{record.pk}/submission")
    assert again.status_code == 409 and again.json()["code"] == "already_submitted"


def test_submitting_without_the_evidence_the_rule_asks_for_is_refused(owner, client_for):
    record = DevelopmentRecordFactory(
        owner=owner, evidence_url="", status=DevelopmentRecord.Status.CHANGES_REQUESTED
    )
    response = _post(client_for(owner), f"/me/development-records/{record.pk}/submission")
    assert _field_errors(response) == {
        "evidence_url": [
            indonesian("This form of development needs evidence: attach a file or give a link.")
        ]
    }


def test_evidence_link_is_set_checked_and_kept_while_the_rule_needs_it(record, client_for):
    client = client_for(record.owner)
    url = f"/me/development-records/{record.pk}/evidence-link"
    response = _put(client, url, {"url": "https://contoh.go.id/baru"})
    assert response.status_code == 200
    assert response.json()["evidence_url"] == "https://contoh.go.id/baru"
    assert _field_errors(_put(client, url, {"url": "javascript:alert(1)"})) == {
        "evidence_url": [indonesian("Enter a valid link (https://…).")]
    }
    # The workshop needs a file or a link: the only link cannot go.
    assert "evidence_url" in _field_errors(_put(client, url, {"url": ""}))
    record.refresh_from_db()
    assert record.evidence_url == "https://contoh.go.id/baru"


def test_evidence_file_upload_is_checked_as_the_form_checks_it(record, client_for, settings):
    client = client_for(record.owner)
    url = f"{API}/me/development-records/{record.pk}/evidence-files"

    def refused(name, content) -> dict:
        response = client.post(url, {"file": SimpleUploadedFile(name, content)})
        return {error["code"] for error in response.json()["errors"]} | {response.status_code}

    assert refused("program.exe", b"MZ\x90\x00") == {"file_type", 422}
    assert refused("sertifikat.pdf", PNG) == {"content_mismatch", 422}
    settings.LENTERA_EVIDENCE_MAX_BYTES = 10
    assert refused("sertifikat.pdf", PDF) == {"file_size", 422}
    response = client.post(url, {"file": SimpleUploadedFile("program.exe", b"MZ")})
    assert response.json()["errors"][0]["field"] == "file"
    assert response.json()["detail"] == indonesian(
        "Evidence must be one of these file types: %(types)s."
    ) % {"types": "docx, jpeg, jpg, odt, pdf, png, pptx, xlsx"}
    assert client.post(url, {}).status_code == 422  # no file at all
    assert not EvidenceFile.objects.exists()


def test_owner_removes_a_file_but_not_the_last_evidence(owner, client_for):
    record = services.record_create(
        owner=owner,
        form=form_of("workshop"),
        title="Lokakarya Berkas",
        start_date=timezone.localdate() - timedelta(days=2),
        end_date=timezone.localdate() - timedelta(days=2),
        hours=Decimal("4"),
        files=[SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)],
    )
    first, second = record.evidence_files.all()
    client = client_for(owner)
    base = f"{API}/me/development-records/{record.pk}/evidence-files"
    assert client.delete(f"{base}/{first.pk}").status_code == 204
    last = client.delete(f"{base}/{second.pk}")
    assert _field_errors(last) == {
        "": [
            indonesian(
                "This form of development needs evidence: add another file or a link before "
                "removing this one."
            )
        ]
    }
    assert list(record.evidence_files.all()) == [second]


def test_a_file_of_another_record_is_not_found(record, other_learner, client_for):
    evidence = services.evidence_add(
        record=record, user=record.owner, file=SimpleUploadedFile("a.pdf", PDF)
    )
    theirs = DevelopmentRecordFactory(owner=other_learner)
    client = client_for(other_learner)
    url = f"{API}/me/development-records/{theirs.pk}/evidence-files/{evidence.pk}"
    assert client.delete(url).status_code == 404
    assert EvidenceFile.objects.filter(pk=evidence.pk).exists()


# Bad input: each refused with the services' message, in Bahasa Indonesia, beside its field


def _refusal(owner, client_for, **overrides) -> dict[str, list[str]]:
    return _field_errors(_post(client_for(owner), "/me/development-records", _body(**overrides)))


def test_hours_of_zero_or_less_are_refused(owner, client_for):
    message = indonesian("The number of hours must be more than zero.")
    assert _refusal(owner, client_for, hours="0") == {"hours": [message]}
    assert _refusal(owner, client_for, hours="-2") == {"hours": [message]}


def test_more_hours_than_the_dates_allow_are_refused(owner, client_for):
    [message] = _refusal(owner, client_for, hours="25")["hours"]
    assert message == indonesian(
        "%(hours)s hours do not fit in %(days)s day(s): at most 24 hours a day."
    ) % {"hours": "25", "days": 1}


def test_end_before_start_is_refused(owner, client_for):
    today = timezone.localdate()
    errors = _refusal(
        owner,
        client_for,
        start_date=(today - timedelta(days=2)).isoformat(),
        end_date=(today - timedelta(days=5)).isoformat(),
    )
    assert errors == {"end_date": [indonesian("The end date cannot be before the start date.")]}


def test_dates_in_the_future_are_refused(owner, client_for):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    errors = _refusal(owner, client_for, start_date=tomorrow, end_date=tomorrow)
    assert errors == {
        "end_date": [
            indonesian(
                "Record an activity once it has taken place: its dates cannot be in the future."
            )
        ]
    }


def test_recording_the_same_activity_twice_is_refused(owner, client_for):
    assert _post(client_for(owner), "/me/development-records", _body()).status_code == 201
    errors = _refusal(owner, client_for, title="  lokakarya pelayanan publik ")
    assert errors == {
        "title": [indonesian("You already recorded this activity with the same form and dates.")]
    }
    assert DevelopmentRecord.objects.filter(owner=owner).count() == 1


def test_an_unknown_form_competency_or_a_missing_field_is_refused(owner, client_for):
    assert _refusal(owner, client_for, form="nope", competencies=[987654]) == {
        "form": [indonesian("There is no form of development with this code.")],
        "competencies": [indonesian("One of the competencies does not exist.")],
    }
    response = _post(client_for(owner), "/me/development-records", {"form": "workshop"})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields >= {"body.title", "body.start_date", "body.hours"}


def test_a_date_or_number_that_is_not_one_is_refused_in_words(owner, client_for):
    response = _post(
        client_for(owner),
        "/me/development-records",
        _body(start_date="kemarin", hours="enam", title=7),
    )
    assert {e["field"]: e["detail"] for e in _errors_of(response)} == {
        "body.start_date": indonesian("Enter a valid date (YYYY-MM-DD)."),
        "body.hours": indonesian("Enter a number."),
        "body.title": indonesian("Enter text."),
    }
    for hours in ("NaN", "Infinity"):
        response = _post(client_for(owner), "/me/development-records", _body(hours=hours))
        assert response.status_code == 422


def test_control_characters_are_refused_before_the_database(record, supervisor, client_for):
    response = _post(
        client_for(record.owner),
        "/me/development-records",
        _body(title="Lokakarya\nBaru", report="Belajar\x00"),
    )
    assert {e["field"]: e["detail"] for e in _errors_of(response)} == {
        "body.title": indonesian("Use a single line, without line breaks or control characters."),
        "body.report": indonesian("Remove the control characters from this text."),
    }
    services.record_verify(record=record, verifier=supervisor)
    response = _post(
        client_for(supervisor),
        f"/development-records/{record.pk}/revocation",
        {"reason": "Salah\x00"},
    )
    assert response.status_code == 422
    # A report keeps its line breaks.
    created = _post(
        client_for(record.owner), "/me/development-records", _body(report="Satu.\nDua.")
    )
    assert created.status_code == 201 and created.json()["report"] == "Satu.\nDua."


def _errors_of(response) -> list[dict]:
    assert response.status_code == 422, response.content
    return response.json()["errors"]


def test_competency_ids_beyond_any_id_are_unknown_not_a_server_error(owner, client_for):
    for ids in ([2**63], [2**70], [-1, 0]):
        errors = _refusal(owner, client_for, competencies=ids)
        assert errors == {"competencies": [indonesian("One of the competencies does not exist.")]}


def test_a_form_that_needs_a_report_refuses_a_record_without_one(owner, client_for):
    FormRuleFactory(
        form=form_of("seminar"), organization=owner.organization, evidence="report_and_evidence"
    )
    errors = _refusal(owner, client_for, form="seminar", report="", hours="2")
    assert "report" in errors
    assert not DevelopmentRecord.objects.exists()


def test_development_forms_carry_the_organization_rules(owner, client_for):
    FormRuleFactory(
        form=form_of("seminar"),
        organization=owner.organization,
        max_jp_per_year=Decimal("12"),
        evidence=FormRule.Evidence.REPORT,
    )
    forms = {f["code"]: f for f in client_for(owner).get(f"{API}/development-forms").json()}
    assert forms["seminar"]["max_jp_per_year"] == "12.00"
    assert forms["seminar"]["evidence"] == "report"
    assert forms["workshop"]["evidence"] == "file_or_link"  # the national default


# Verification


def test_the_confirmed_supervisor_sees_the_queue_and_verifies(record, supervisor, client_for):
    client = client_for(supervisor)
    queue = client.get(f"{API}/development-records/verification-queue").json()
    assert [(row["id"], row["owner"]["name"]) for row in queue["results"]] == [
        (record.pk, "Pegawai Satu")
    ]
    assert client.get(f"{API}/development-records/{record.pk}").status_code == 200
    response = _post(
        client, f"/development-records/{record.pk}/decision", {"decision": "verify", "note": ""}
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "verified"
    assert response.json()["decided_by"] == "Atasan Langsung"
    assert Decimal(response.json()["jp_credited"]) == Decimal("12.00")
    # Decided: no longer waiting, and no second decision.
    assert client.get(f"{API}/development-records/verification-queue").json()["count"] == 0
    again = _post(client, f"/development-records/{record.pk}/decision", {"decision": "reject"})
    assert again.status_code == 409 and again.json()["code"] == "already_decided"


def test_hr_of_the_organization_asks_for_changes_with_a_note(record, hr, client_for):
    client = client_for(hr)
    url = f"/development-records/{record.pk}/decision"
    without_note = _post(client, url, {"decision": "request_changes"})
    assert _field_errors(without_note) == {
        "note": [indonesian("Say what the owner should change.")]
    }
    response = _post(client, url, {"decision": "request_changes", "note": "Unggah sertifikat."})
    assert response.json()["status"] == "changes_requested"
    assert response.json()["decision_note"] == "Unggah sertifikat."
    assert _post(client, url, {"decision": "maybe"}).status_code == 422


def test_revoking_needs_a_reason(record, supervisor, client_for):
    services.record_verify(record=record, verifier=supervisor)
    client = client_for(supervisor)
    url = f"/development-records/{record.pk}/revocation"
    assert _field_errors(_post(client, url, {})) == {
        "reason": [indonesian("Say why the verification is revoked.")]
    }
    response = _post(client, url, {"reason": "Tercatat dua kali."})
    assert response.status_code == 200 and response.json()["status"] == "revoked"
    assert response.json()["jp_credited"] == "0.00"


def test_people_outside_the_team_get_404_and_change_nothing(
    record, other_learner, hr_other, owner_named_unconfirmed, client_for
):
    _, unconfirmed_boss = owner_named_unconfirmed
    for person in (other_learner, hr_other, unconfirmed_boss, record.owner):
        client = client_for(person)
        if person != record.owner:
            assert client.get(f"{API}/development-records/{record.pk}").status_code == 404
        queue = client.get(f"{API}/development-records/verification-queue").json()
        assert queue["count"] == 0
        for url, body in [
            (f"/development-records/{record.pk}/decision", {"decision": "verify"}),
            (f"/development-records/{record.pk}/revocation", {"reason": "Salah."}),
        ]:
            response = _post(client, url, body)
            assert response.status_code == 404
            assert response.json() == {"code": "not_found", "detail": indonesian("Not found.")}
    record.refresh_from_db()
    assert record.status == DevelopmentRecord.Status.SUBMITTED


def test_hr_never_decides_their_own_record(organization, client_for):
    hr = UserFactory(email="sdm.sendiri@ku.go.id", admin_of=organization, organization=organization)
    own = DevelopmentRecordFactory(owner=hr)
    client = client_for(hr)
    assert client.get(f"{API}/development-records/verification-queue").json()["count"] == 0
    response = _post(client, f"/development-records/{own.pk}/decision", {"decision": "verify"})
    assert response.status_code == 404
    own.refresh_from_db()
    assert own.status == DevelopmentRecord.Status.SUBMITTED


def test_anonymous_is_told_to_sign_in(record, client):
    response = client.get(f"{API}/me/development-records")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


# Queries do not grow with the records or the team


@pytest.mark.parametrize("size", [2, 12])
def test_my_records_list_queries_do_not_grow(owner, client_for, size):
    for _ in range(size):
        record = DevelopmentRecordFactory(owner=owner)
        EvidenceFile.objects.create(
            record=record,
            file="x.pdf",
            original_name="x.pdf",
            content_type="application/pdf",
            size=1,
        )
    client = client_for(owner)
    assert count_queries(client, f"{API}/me/development-records?page_size=100") == 4


@pytest.mark.parametrize("size", [2, 12])
def test_the_queue_queries_do_not_grow_with_the_team(supervisor, client_for, size, organization):
    for n in range(size):
        member = UserFactory(
            email=f"staf{n}@ku.go.id", organization=organization, supervised_by=supervisor
        )
        DevelopmentRecordFactory.create_batch(2, owner=member)
    client = client_for(supervisor)
    url = f"{API}/development-records/verification-queue?page_size=100"
    assert client.get(url).json()["count"] == 2 * size
    assert count_queries(client, url) == 4


@pytest.mark.parametrize("size", [1, 6])
def test_a_record_detail_queries_do_not_grow_with_its_files(record, client_for, size):
    for n in range(size):
        services.evidence_add(
            record=record, user=record.owner, file=SimpleUploadedFile(f"{n}.pdf", PDF)
        )
    client = client_for(record.owner)
    assert count_queries(client, f"{API}/me/development-records/{record.pk}") == 6


def test_every_field_of_the_development_operations_is_described():
    from lentera.learner_api import api as learner_api

    schema = learner_api.get_openapi_schema()
    components = schema["components"]["schemas"]
    undescribed = []

    def visit(node):
        if isinstance(node, dict):
            reference = node.get("$ref", "")
            if reference:
                name = reference.rsplit("/", 1)[-1]
                if name not in seen:
                    seen.add(name)
                    for field, spec in components[name].get("properties", {}).items():
                        if not spec.get("description"):
                            undescribed.append(f"{name}.{field}")
                        visit(spec)
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    seen: set[str] = {"ErrorOut", "ValidationErrorOut", "FieldErrorOut"}
    operations = [
        operation
        for path, operations in schema["paths"].items()
        if "development" in path
        for operation in operations.values()
    ]
    assert len(operations) == 13
    for operation in operations:
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query" and not parameter.get("description"):
                undescribed.append(f"{operation['operationId']}: {parameter['name']}")
        visit(operation)
    assert not undescribed, undescribed
