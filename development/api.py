"""The JP ledger in the learner API (/api/v1/me/jp): every entry that counts in a year, courses
and verified development records alike, a router `lentera.learner_api` adds."""

from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from core.api import INVALID_INPUT, NOT_SIGNED_IN
from development import ledger

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
