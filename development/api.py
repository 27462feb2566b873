"""Development in the learner API (/api/v1/), a router `lentera.learner_api` adds: the JP ledger
(/me/jp: every entry that counts in a year, courses and verified development records alike), the
learner's development records with their evidence, and the verifier's queue and decisions.

Who may: a learner sees and changes only their own records (/me/...); a record's confirmed direct
supervisor and its owner's organization's HR see it and decide it (/development-records/...);
anyone else gets a 404, as for a record that does not exist. Nobody decides their own record.
Every rule is `development.services`'s; its refusals come back as 422 (`ValidationErrorOut`, each
message beside its field) or, for a record whose state forbids the change, 409.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, NinjaAPI, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from content.inputs import CONTROL_CHARACTERS, LINE_CONTROL_CHARACTERS
from content.models import Competency
from core.api import INVALID_INPUT, NOT_SIGNED_IN, ErrorOut
from development import ledger, selectors, services
from development.models import DevelopmentForm, DevelopmentRecord, EvidenceFile, FormRule
from development.permissions import can_view

router = Router()


class LedgerEntryOut(Schema):
    kind: str = Field(description='"course" for a Lentera course, else the form\'s code')
    form: str
    mode: str = Field(description="klasikal or nonklasikal")
    title: str
    course_title: str = Field(description="The title (kept for clients of the first version)")
    started_on: date | None
    ended_on: date
    completed_at: datetime | None = Field(description="When a course was completed; null else")
    jp: Decimal = Field(description="The JP credited")
    status: str
    certificate_serial: str | None
    evidence_url: str


class LedgerOut(Schema):
    year: int
    target: int | None = Field(
        description="The PNS yearly target or the PPPK cap; null for a non-ASN account"
    )
    is_cap: bool
    earned: Decimal
    entries: list[LedgerEntryOut]


@router.get(
    "/me/jp",
    response={200: LedgerOut, **NOT_SIGNED_IN, **INVALID_INPUT},
    summary="My JP ledger for a calendar year",
    tags=["development"],
)
def my_jp(request, year: int | None = None):
    year = year or ledger.current_year()
    if not 2000 <= year <= 2100:
        raise HttpError(422, _("Enter a year between 2000 and 2100."))
    jp_ledger = ledger.jp_ledger(user=request.user, year=year)
    return {
        "year": jp_ledger.year,
        "target": jp_ledger.target,
        "is_cap": jp_ledger.is_cap,
        "earned": jp_ledger.earned,
        "entries": [
            {
                "kind": entry.kind,
                "form": entry.form,
                "mode": entry.mode,
                "title": entry.title,
                "course_title": entry.title,
                "started_on": entry.started_on,
                "ended_on": entry.ended_on,
                "completed_at": entry.completed_at,
                "jp": entry.jp,
                "status": entry.status,
                "certificate_serial": entry.certificate.serial if entry.certificate else None,
                "evidence_url": entry.evidence_url,
            }
            for entry in jp_ledger.entries
        ],
    }


# Development records and their verification (issue 16). Every rule is the services': the API
# only reads the request, calls `development.services` and answers with what they decided. A
# record the caller may not see answers 404, as an unknown one does.

RECORD_STATUSES = ", ".join(DevelopmentRecord.Status.values)
#: Refusals that are about the record's state, not the input: 409.
_CONFLICTS = ("not_editable", "already_decided", "already_submitted")
MAX_PAGE_SIZE = 100


class DevelopmentFormOut(Schema):
    code: str = Field(description="The form's code, as records name it")
    name: str = Field(description="The form's name in Bahasa Indonesia")
    mode: str = Field(description="klasikal or nonklasikal")
    siasn_jenis_diklat_id: int | None = Field(
        description="SIASN's training type (jenisDiklat) id; null where none applies"
    )
    max_jp_per_activity: Decimal | None = Field(
        description="The caller's organization's cap per activity (else the national one); "
        "null for no cap"
    )
    max_jp_per_year: Decimal | None = Field(
        description="The cap per calendar year, for the caller's organization; null for no cap"
    )
    evidence: str = Field(
        description="What a record of this form needs: none, report, file_or_link or "
        "report_and_evidence (a report and a file or a link)"
    )


class RecordOwnerOut(Schema):
    id: int = Field(description="The person's account id")
    name: str = Field(description="The person's full name")
    work_unit: str | None = Field(description="Their work unit; null when none is set")


class RecordCompetencyOut(Schema):
    id: int = Field(description="The competency's id")
    code: str = Field(description="The competency's code in the dictionary")
    name: str = Field(description="The competency's name")


class EvidenceFileOut(Schema):
    id: int = Field(description="The file's id")
    name: str = Field(description="The file's name as it was uploaded")
    content_type: str = Field(description="The type it is served with")
    size: int = Field(description="Its size in bytes")
    uploaded_at: datetime = Field(description="When it was uploaded")
    download_url: str = Field(
        description="Where the owner, their confirmed supervisor or their organization's HR "
        "download it, signed in"
    )


class RecordSummaryOut(Schema):
    id: int = Field(description="The record's id")
    form: str = Field(description="The code of its form of development")
    form_name: str = Field(description="The name of its form")
    mode: str = Field(description="klasikal or nonklasikal")
    title: str = Field(description="The title of the activity")
    organizer: str = Field(description="Who organised it; empty when not given")
    start_date: date = Field(description="The first day of the activity")
    end_date: date = Field(description="The last day; its year is the year the JP count in")
    hours: Decimal = Field(description="Hours of learning")
    jp: Decimal = Field(description="JP from the hours, within the form's cap per activity")
    jp_credited: Decimal = Field(
        description="What the record adds to its owner's JP: decided at verification, within "
        "the form's yearly cap; 0 unless verified"
    )
    status: str = Field(description=f"One of: {RECORD_STATUSES}")
    evidence_url: str = Field(description="The evidence link; empty when none")
    evidence_count: int = Field(description="How many evidence files are attached")
    created_at: datetime = Field(description="When it was recorded")


class QueueRecordOut(RecordSummaryOut):
    owner: RecordOwnerOut = Field(description="Whose record it is")


class RecordOut(RecordSummaryOut):
    owner: RecordOwnerOut = Field(description="Whose record it is")
    editable: bool = Field(
        description="Whether its owner may still change it (waiting, or returned for changes)"
    )
    competencies: list[RecordCompetencyOut] = Field(description="The competencies it developed")
    report: str = Field(description="What was learned and how it will be applied")
    evidence_files: list[EvidenceFileOut] = Field(description="The evidence files attached")
    decided_by: str | None = Field(description="Who decided it last; null until decided")
    decided_at: datetime | None = Field(description="When it was decided last")
    decision_note: str = Field(description="The verifier's note or the revocation's reason")
    updated_at: datetime = Field(description="When it last changed")


class RecordPageOut(Schema):
    count: int = Field(description="How many records match, on every page")
    page: int = Field(description="This page's number, from 1")
    page_size: int = Field(description="Records per page")
    pages: int = Field(description="How many pages there are")
    results: list[RecordSummaryOut] = Field(description="This page's records")


class QueuePageOut(Schema):
    count: int = Field(description="How many records wait for the caller, on every page")
    page: int = Field(description="This page's number, from 1")
    page_size: int = Field(description="Records per page")
    pages: int = Field(description="How many pages there are")
    results: list[QueueRecordOut] = Field(description="This page's records, oldest first")


class RecordPaging(Schema):
    page: int = Field(1, ge=1, le=1_000_000, description="The page's number, from 1")
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE, description="Records per page")


class RecordFilters(RecordPaging):
    status: DevelopmentRecord.Status | None = Field(
        None, description=f"Only the records in this status: {RECORD_STATUSES}"
    )


def _single_line(value: str) -> str:
    # As the page's fields refuse them: PostgreSQL cannot store a NUL, and a line break in a
    # title would end up in an e-mail's subject.
    if LINE_CONTROL_CHARACTERS.search(value):
        raise PydanticCustomError("single_line", "Use a single line")
    return value


def _text(value: str) -> str:
    if CONTROL_CHARACTERS.search(value):
        raise PydanticCustomError("control_characters", "No control characters")
    return value


class RecordIn(Schema):
    form: str = Field(description="The code of a form of development (GET /development-forms)")
    title: str = Field(description="The title of the activity")
    organizer: str = Field("", description="Who organised it")
    start_date: date = Field(description="The first day; not in the future")
    end_date: date = Field(description="The last day; not before the first, not in the future")
    hours: Decimal = Field(
        description="Hours of learning: more than 0, at most 24 for each day of the activity"
    )
    competencies: list[int] = Field(
        [], description="Ids of the competencies it developed", max_length=50
    )
    report: str = Field(
        "", description="What was learned and how it will be applied (some forms require it)"
    )
    evidence_url: str = Field(
        "", description="A link proving the activity (some forms require a link or a file)"
    )

    single_line = field_validator("title", "organizer", "evidence_url")(_single_line)
    text = field_validator("report")(_text)


class EvidenceLinkIn(Schema):
    url: str = Field(description="The link proving the activity; empty to remove it")

    single_line = field_validator("url")(_single_line)


class DecisionIn(Schema):
    decision: Literal["verify", "request_changes", "reject"] = Field(
        description="verify (its JP count), request_changes (back to the owner) or reject"
    )
    note: str = Field(
        "", description="The note to the owner; required to ask for changes or to reject"
    )

    text = field_validator("note")(_text)


class RevocationIn(Schema):
    reason: str = Field("", description="Why the verification is withdrawn (required)")

    text = field_validator("reason")(_text)


#: The answers of an operation on a record: it is not the caller's (404), its state does not
#: allow the change (409), or the input breaks a rule (422).
RECORD_ERRORS = {404: ErrorOut, 409: ErrorOut, **NOT_SIGNED_IN, **INVALID_INPUT}


class Refused(Exception):
    """A service's `ValidationError`, answered as the API's error body."""

    def __init__(self, error: ValidationError, fields: dict[str, str] | None = None):
        self.error = error
        self.fields = fields or {}


def refused_answer(
    error: ValidationError, fields: dict[str, str] | None = None
) -> tuple[int, dict]:
    """The status and `ValidationErrorOut` body of a service's refusal: each message beside the
    field it is about (a file's own checks beside `file`; `fields` renames the services' fields
    to the body's), in the user's language."""
    fields = fields or {}
    if hasattr(error, "error_dict"):
        errors = [
            {"field": fields.get(field, field), "code": item.code or "invalid", "detail": message}
            for field, items in error.error_dict.items()
            for item in items
            for message in item.messages
        ]
    else:
        code = getattr(error, "code", None) or "invalid"
        if code in _CONFLICTS:
            return 409, {"code": code, "detail": " ".join(error.messages)}
        field = "file" if code in services.EVIDENCE_ERRORS else ""
        errors = [{"field": field, "code": code, "detail": " ".join(error.messages)}]
    detail = " ".join(item["detail"] for item in errors) or _("Invalid input.")
    return 422, {"code": "invalid", "detail": detail, "errors": errors}


def refusals_add(api: NinjaAPI) -> None:
    """Answer the services' refusals raised in this router (`Refused`) with their error body."""

    @api.exception_handler(Refused)
    def refused(request, exc: Refused):
        status, body = refused_answer(exc.error, exc.fields)
        return api.create_response(request, body, status=status)


def _calling(function, fields: dict[str, str] | None = None, **arguments):
    """Call a service: its refusal becomes the error body; a `PermissionDenied` a 404."""
    try:
        return function(**arguments)
    except ValidationError as error:
        raise Refused(error, fields) from error
    except PermissionDenied as denied:
        raise Http404 from denied


def _person(user) -> dict:
    return {
        "id": user.pk,
        "name": user.full_name,
        "work_unit": user.work_unit.name if user.work_unit_id else None,
    }


def _summary(record: DevelopmentRecord) -> dict:
    return {
        "id": record.pk,
        "form": record.form.code,
        "form_name": record.form.name,
        "mode": record.form.mode,
        "title": record.title,
        "organizer": record.organizer,
        "start_date": record.start_date,
        "end_date": record.end_date,
        "hours": record.hours,
        "jp": record.jp,
        "jp_credited": record.jp_credited,
        "status": record.status,
        "evidence_url": record.evidence_url,
        "evidence_count": record.evidence_count,
        "created_at": record.created_at,
    }


def _detail(record_id: int) -> dict:
    """One record with everything about it, in a fixed number of queries."""
    record = (
        DevelopmentRecord.objects.select_related("form", "owner", "owner__work_unit", "decided_by")
        .annotate(evidence_count=Count("evidence_files"))
        .get(pk=record_id)
    )
    files = list(record.evidence_files.all())
    return _summary(record) | {
        "owner": _person(record.owner),
        "editable": record.is_editable,
        "competencies": [
            {"id": c.pk, "code": c.code, "name": c.name}
            for c in record.competencies.order_by("name", "pk")
        ],
        "report": record.report,
        "evidence_files": [
            {
                "id": file.pk,
                "name": file.original_name,
                "content_type": file.content_type,
                "size": file.size,
                "uploaded_at": file.uploaded_at,
                "download_url": reverse("development:evidence_download", args=[record.pk, file.pk]),
            }
            for file in files
        ],
        "decided_by": record.decided_by.full_name if record.decided_by else None,
        "decided_at": record.decided_at,
        "decision_note": record.decision_note,
        "updated_at": record.updated_at,
    }


def _page(rows, paging: RecordPaging) -> tuple[dict, list]:
    paginator = Paginator(rows, paging.page_size)
    page = paginator.get_page(paging.page)
    return {
        "count": paginator.count,
        "page": page.number,
        "page_size": paging.page_size,
        "pages": paginator.num_pages,
    }, list(page)


def _own(request, record_id: int) -> DevelopmentRecord:
    return get_object_or_404(DevelopmentRecord, pk=record_id, owner=request.user)


def _activity(request, body: RecordIn) -> dict:
    """The service's arguments from the body: the form by its code, the competencies by id."""
    errors = {}
    form = DevelopmentForm.objects.filter(code=body.form).first()
    if form is None:
        errors["form"] = ValidationError(
            _("There is no form of development with this code."), code="unknown"
        )
    wanted = set(body.competencies)
    competencies = list(Competency.objects.filter(pk__in=wanted))
    if len(competencies) != len(wanted):
        errors["competencies"] = ValidationError(
            _("One of the competencies does not exist."), code="unknown"
        )
    if errors:
        raise Refused(ValidationError(errors))
    return {
        "form": form,
        "title": body.title,
        "organizer": body.organizer,
        "start_date": body.start_date,
        "end_date": body.end_date,
        "hours": body.hours,
        "competencies": competencies,
        "report": body.report,
        "evidence_url": body.evidence_url,
    }


@router.get(
    "/development-forms",
    response={200: list[DevelopmentFormOut], **NOT_SIGNED_IN},
    summary="The forms of development a record may take, with the caller's organization's rules",
    tags=["development"],
)
def development_forms(request):
    forms = list(DevelopmentForm.objects.filter(active=True))
    rules = selectors.rules_for_forms(
        form_ids=[form.pk for form in forms], organization_id=request.user.organization_id
    )
    none = FormRule.Evidence.NONE
    return [
        {
            "code": form.code,
            "name": form.name,
            "mode": form.mode,
            "siasn_jenis_diklat_id": form.siasn_jenis_diklat_id,
            "max_jp_per_activity": rule.max_jp_per_activity if rule else None,
            "max_jp_per_year": rule.max_jp_per_year if rule else None,
            "evidence": rule.evidence if rule else none,
        }
        for form in forms
        for rule in [rules.get(form.pk)]
    ]


@router.get(
    "/me/development-records",
    response={200: RecordPageOut, **NOT_SIGNED_IN, **INVALID_INPUT},
    summary="My development records, newest activity first",
    tags=["development"],
)
def my_records(request, filters: Query[RecordFilters]):
    rows = selectors.records_of(request.user)
    if filters.status:
        rows = rows.filter(status=filters.status)
    paging, records = _page(rows, filters)
    return paging | {"results": [_summary(record) for record in records]}


@router.post(
    "/me/development-records",
    response={201: RecordOut, **RECORD_ERRORS},
    summary="Record an activity that took place and send it for verification",
    tags=["development"],
)
def my_record_create(request, body: RecordIn):
    record = _calling(services.record_create, owner=request.user, **_activity(request, body))
    return Status(201, _detail(record.pk))


@router.get(
    "/me/development-records/{record_id}",
    response={200: RecordOut, 404: ErrorOut, **NOT_SIGNED_IN, **INVALID_INPUT},
    summary="One of my development records",
    tags=["development"],
)
def my_record(request, record_id: int):
    return _detail(_own(request, record_id).pk)


@router.put(
    "/me/development-records/{record_id}",
    response={200: RecordOut, **RECORD_ERRORS},
    summary="Correct my record while it waits or was returned for changes (sends it again)",
    tags=["development"],
)
def my_record_update(request, record_id: int, body: RecordIn):
    record = _own(request, record_id)
    _calling(services.record_update, record=record, user=request.user, **_activity(request, body))
    return _detail(record.pk)


@router.post(
    "/me/development-records/{record_id}/submission",
    response={200: RecordOut, **RECORD_ERRORS},
    summary="Send my record returned for changes back for verification, as it now stands",
    tags=["development"],
)
def my_record_submit(request, record_id: int):
    record = _own(request, record_id)
    _calling(services.record_submit, record=record, user=request.user)
    return _detail(record.pk)


@router.put(
    "/me/development-records/{record_id}/evidence-link",
    response={200: RecordOut, **RECORD_ERRORS},
    summary="Give, change or (empty) remove the link proving my record",
    tags=["development"],
)
def my_record_link(request, record_id: int, body: EvidenceLinkIn):
    record = _own(request, record_id)
    _calling(services.evidence_link_set, record=record, user=request.user, url=body.url)
    return _detail(record.pk)


@router.post(
    "/me/development-records/{record_id}/evidence-files",
    response={201: EvidenceFileOut, **RECORD_ERRORS},
    summary="Attach an evidence file to my record (PDF, JPG, PNG, DOCX, ODT, XLSX or PPTX)",
    description="A multipart upload of one file in `file`, checked as the form checks it: its "
    "type by extension, its size, and its content against its extension.",
    tags=["development"],
)
def my_record_file_add(request, record_id: int, file: File[UploadedFile]):
    record = _own(request, record_id)
    evidence = _calling(services.evidence_add, record=record, user=request.user, file=file)
    return Status(
        201,
        {
            "id": evidence.pk,
            "name": evidence.original_name,
            "content_type": evidence.content_type,
            "size": evidence.size,
            "uploaded_at": evidence.uploaded_at,
            "download_url": reverse("development:evidence_download", args=[record.pk, evidence.pk]),
        },
    )


@router.delete(
    "/me/development-records/{record_id}/evidence-files/{evidence_id}",
    response={204: None, **RECORD_ERRORS},
    summary="Remove an evidence file from my record (the evidence its form needs must stay)",
    tags=["development"],
)
def my_record_file_remove(request, record_id: int, evidence_id: int):
    record = _own(request, record_id)
    evidence = get_object_or_404(EvidenceFile, pk=evidence_id, record=record)
    _calling(services.evidence_remove, evidence=evidence, user=request.user)
    return Status(204, None)


@router.get(
    "/development-records/verification-queue",
    response={200: QueuePageOut, **NOT_SIGNED_IN, **INVALID_INPUT},
    summary="Records waiting for my verification: my confirmed team's, and as HR my "
    "organization's people's (never my own), oldest first",
    tags=["development"],
)
def verification_queue(request, paging: Query[RecordPaging]):
    page, records = _page(selectors.records_to_verify(request.user), paging)
    return page | {
        "results": [_summary(record) | {"owner": _person(record.owner)} for record in records]
    }


def _visible(request, record_id: int) -> DevelopmentRecord:
    record = get_object_or_404(DevelopmentRecord.objects.select_related("owner"), pk=record_id)
    if not can_view(request.user, record.owner):
        raise Http404
    return record


def _verifiable(request, record_id: int) -> DevelopmentRecord:
    return get_object_or_404(selectors.records_verifiable_by(request.user), pk=record_id)


@router.get(
    "/development-records/{record_id}",
    response={200: RecordOut, 404: ErrorOut, **NOT_SIGNED_IN, **INVALID_INPUT},
    summary="A record, for its owner, their confirmed supervisor or their organization's HR",
    tags=["development"],
)
def record_detail(request, record_id: int):
    return _detail(_visible(request, record_id).pk)


@router.post(
    "/development-records/{record_id}/decision",
    response={200: RecordOut, **RECORD_ERRORS},
    summary="Verify, reject or ask for changes to a waiting record (the owner's confirmed "
    "supervisor or their organization's HR; never one's own)",
    tags=["development"],
)
def record_decide(request, record_id: int, body: DecisionIn):
    record = _verifiable(request, record_id)
    decide = {
        "verify": services.record_verify,
        "request_changes": services.record_request_changes,
        "reject": services.record_reject,
    }[body.decision]
    _calling(decide, record=record, verifier=request.user, note=body.note)
    return _detail(record.pk)


@router.post(
    "/development-records/{record_id}/revocation",
    response={200: RecordOut, **RECORD_ERRORS},
    summary="Withdraw a verification, saying why: its JP no longer count",
    tags=["development"],
)
def record_revoke(request, record_id: int, body: RevocationIn):
    record = _verifiable(request, record_id)
    _calling(
        services.record_revoke,
        fields={"note": "reason"},
        record=record,
        verifier=request.user,
        reason=body.reason,
    )
    return _detail(record.pk)
