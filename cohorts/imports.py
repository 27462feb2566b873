"""Bulk enrollment from a spreadsheet: read a CSV or XLSX list of NIPs and/or e-mail addresses,
classify every row (dry run), then apply all of it or nothing.

Row statuses:
- valid: a person with an account who will be enrolled (or whose open enrollment joins);
- already_enrolled: already in this cohort, or has completed the course;
- unknown: no account yet: an invitation keeps their seat until they sign up;
- invalid: the row cannot be used, with the reason (bad NIP, duplicate, wrong column...).
"""

import re
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import Action, audit_record
from cohorts.members import (
    capacity_check,
    cohort_members_add,
    invitations_create,
    invitations_pending,
    members_state,
)
from cohorts.models import Cohort, CohortImport, CohortMembership
from cohorts.services import cohort_locked, cohort_trainer_require
from learners.models import User
from learners.nip import nip_normalize, nip_parse
from learners.permissions import is_platform_admin
from learners.tabular import IMPRECISE_NUMBER, TableFileError, table_read

#: A NIP a spreadsheet turned into a number and saved to CSV as shown (1,98609E+17).
SCIENTIFIC_NUMBER = re.compile(r"\d+(?:[.,]\d+)?[eE]\+?\d+")

NIP_COLUMNS = {"nip"}
EMAIL_COLUMNS = {"email", "e-mail", "surel", "alamat email", "alamat e-mail"}

VALID = "valid"
ALREADY_ENROLLED = "already_enrolled"
UNKNOWN = "unknown"
INVALID = "invalid"

STATUS_LABELS = {
    VALID: gettext_lazy("Will be enrolled"),
    ALREADY_ENROLLED: gettext_lazy("Already enrolled"),
    UNKNOWN: gettext_lazy("No account yet: will be invited"),
    INVALID: gettext_lazy("Invalid"),
}


#: The file as a whole cannot be used; the message says why, in the user's language.
ImportFileError = TableFileError


@dataclass
class ImportRow:
    row: int
    nip: str = ""
    email: str = ""
    status: str = ""
    reason: str = ""
    user: int | None = None
    name: str = ""


def _header_columns(header: list[str]) -> tuple[int | None, int | None]:
    names = [str(name or "").strip().lower() for name in header]
    nip = next((i for i, name in enumerate(names) if name in NIP_COLUMNS), None)
    email = next((i for i, name in enumerate(names) if name in EMAIL_COLUMNS), None)
    if nip is None and email is None:
        found = ", ".join(name for name in names if name) or _("none")
        raise ImportFileError(
            _(
                'The first row must name the columns: "nip", "email" or both '
                "(columns found: %(found)s)."
            )
            % {"found": found}
        )
    return nip, email


def _value(values: list, index: int | None) -> str:
    return str(values[index]).strip() if index is not None and index < len(values) else ""


def read_rows(*, name: str, data: bytes) -> list[ImportRow]:
    """The file's data rows (header removed, blank rows skipped), or ImportFileError."""
    table = table_read(name=name, data=data, max_data_rows=settings.LENTERA_IMPORT_MAX_ROWS)
    if not table:
        raise ImportFileError(_("The file is empty."))
    nip_column, email_column = _header_columns(table[0])
    rows = []
    for number, values in enumerate(table[1:], start=2):
        if not any(str(value).strip() for value in values):
            continue

        rows.append(
            ImportRow(
                row=number, nip=_value(values, nip_column), email=_value(values, email_column)
            )
        )
    if not rows:
        raise ImportFileError(_("The file has no rows under its header."))
    if len(rows) > settings.LENTERA_IMPORT_MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(max)s rows: split it into smaller files.")
            % {"max": settings.LENTERA_IMPORT_MAX_ROWS}
        )
    return rows


def _row_problem(row: ImportRow) -> str:
    """Why a row cannot be used on its own, or ""; normalises its NIP and e-mail."""
    if row.nip.startswith(IMPRECISE_NUMBER) or SCIENTIFIC_NUMBER.fullmatch(row.nip):
        row.nip = row.nip.removeprefix(IMPRECISE_NUMBER)  # what the person sees in their file
        return _(
            "The NIP was stored as a number and lost its last digits: format the column as "
            "text and type it again."
        )
    if not row.nip and not row.email:
        return _("Neither a NIP nor an e-mail address.")
    if "@" in row.nip:
        return _("Wrong column: an e-mail address in the NIP column.")
    if row.email and nip_normalize(row.email).isdigit():
        return _("Wrong column: a number in the e-mail column.")
    if row.nip:
        try:
            row.nip = nip_parse(row.nip).digits
        except ValidationError as error:
            return _("Invalid NIP: %(reason)s") % {"reason": error.messages[0]}
    if row.email:
        try:
            validate_email(row.email)
        except ValidationError:
            return _("Invalid e-mail address.")
        row.email = row.email.lower()
    return ""


def _people_known_to(viewer: User | None, cohort: Cohort, user_ids: list[int]) -> set[int]:
    """Of `user_ids`, the people whose name `viewer` may already know: learners of the cohorts
    they train or of the courses they train, and people of their own organization. One query.

    Anyone else is only "an account found": a list of NIPs must not turn into a directory of
    names from every organization.
    """
    if viewer is None or not user_ids:
        return set()
    if is_platform_admin(viewer):
        return set(user_ids)
    known = Q(enrollments__cohort_membership__cohort__trainers=viewer) | Q(
        enrollments__course__trainers__user=viewer
    )
    if viewer.organization_id:
        known |= Q(organization_id=viewer.organization_id)
    return set(User.objects.filter(known, pk__in=user_ids).values_list("pk", flat=True).distinct())


def classify(
    cohort: Cohort, rows: list[ImportRow], *, viewer: User | None = None
) -> list[ImportRow]:
    """Give every row its status and reason, in a fixed number of queries; a person's name only
    when `viewer` may already know it (see `_people_known_to`)."""
    for row in rows:
        row.status, row.reason, row.user, row.name = "", "", None, ""
        problem = _row_problem(row)
        if problem:
            row.status, row.reason = INVALID, problem

    candidates = [row for row in rows if not row.status]
    nips = {row.nip for row in candidates if row.nip}
    emails = {row.email for row in candidates if row.email}
    people = (
        list(
            User.objects.filter(Q(nip__in=nips) | Q(email__in=emails)).only(
                "pk", "nip", "email", "full_name"
            )
        )
        if candidates
        else []
    )
    by_nip = {person.nip: person for person in people if person.nip}
    by_email = {person.email.lower(): person for person in people}
    invited = set()
    for nip, email in (
        invitations_pending(cohort)
        .filter(Q(nip__in=nips) | Q(email__in=emails))
        .values_list("nip", "email")
    ):
        # An invitation by e-mail alone has no NIP: "" must not match every row without one.
        invited.update(key for key in (("nip", nip), ("email", email)) if key[1])
    state = members_state(cohort, [person.pk for person in people])
    named = _people_known_to(viewer, cohort, [person.pk for person in people])

    seen: dict[object, int] = {}
    for row in candidates:
        person_by_nip = by_nip.get(row.nip) if row.nip else None
        person_by_email = by_email.get(row.email) if row.email else None
        if person_by_nip and person_by_email and person_by_nip.pk != person_by_email.pk:
            row.status = INVALID
            row.reason = _("The NIP and the e-mail address belong to two different people.")
            continue
        person = person_by_nip or person_by_email
        key = ("user", person.pk) if person else ("new", row.nip or row.email)
        keys = (
            [key]
            + ([("nip", row.nip)] if row.nip else [])
            + ([("email", row.email)] if row.email else [])
        )
        duplicate_of = next((seen[k] for k in keys if k in seen), None)
        if duplicate_of is not None:
            row.status = INVALID
            row.reason = _("Duplicate of row %(row)s.") % {"row": duplicate_of}
            continue
        for k in keys:
            seen[k] = row.row
        if person is None:
            row.status = UNKNOWN
            if ("nip", row.nip) in invited or ("email", row.email) in invited:
                row.reason = _("Already invited.")
            continue
        row.user = person.pk
        row.name = person.full_name if person.pk in named else ""
        code = state.get(person.pk, (None, None))[0]
        if code == "member":
            row.status, row.reason = ALREADY_ENROLLED, _("Already in this cohort.")
        elif code == "completed":
            row.status, row.reason = ALREADY_ENROLLED, _("Has already completed this course.")
        elif code == "other_cohort":
            row.status = INVALID
            row.reason = _("Already in another cohort of this course.")
        else:
            row.status = VALID
            if code == "open":
                row.reason = _("Already started this course: joins with their progress.")
    return rows


def import_check(*, cohort: Cohort, name: str, data: bytes, uploaded_by: User) -> CohortImport:
    """Read and classify a file (the dry run) and keep the result for applying; the cohort's
    trainers only."""
    cohort_trainer_require(cohort, uploaded_by)
    rows = classify(cohort, read_rows(name=name, data=data), viewer=uploaded_by)
    return CohortImport.objects.create(
        cohort=cohort,
        uploaded_by=uploaded_by,
        filename=name[:255],
        rows=[asdict(row) for row in rows],
    )


def import_counts(rows: list[dict]) -> dict[str, int]:
    counts = dict.fromkeys(STATUS_LABELS, 0)
    for row in rows:
        counts[row["status"]] += 1
    return counts


def new_invitations(rows: list[ImportRow]) -> list[ImportRow]:
    return [row for row in rows if row.status == UNKNOWN and not row.reason]


class ImportNotApplied(Exception):
    """Applying was refused; nothing changed."""


@dataclass
class ImportApplied:
    enrolled: int
    joined: int
    invited: int


@transaction.atomic
def import_apply(*, cohort_import: CohortImport, applied_by: User) -> ImportApplied:
    """Apply a checked import, all or nothing, as one of the cohort's trainers.

    The dry run is not trusted: under the cohort's row lock, every row is classified again
    (people may have signed up, joined another cohort or completed the course since), and any
    invalid row or a lack of seats refuses the whole file. One audit event for the whole list,
    on the course provider's log.
    """
    cohort_import = CohortImport.objects.select_for_update().get(pk=cohort_import.pk)
    if cohort_import.applied_at:
        raise ImportNotApplied(_("This import has already been applied."))
    cohort = cohort_locked(cohort_import.cohort)
    cohort_trainer_require(cohort, applied_by)
    rows = classify(
        cohort,
        [
            ImportRow(row=row["row"], nip=row["nip"], email=row["email"])
            for row in cohort_import.rows
        ],
        viewer=applied_by,
    )
    invalid = [row for row in rows if row.status == INVALID]
    if invalid:
        raise ImportNotApplied(
            _("%(count)s row(s) are invalid. Correct or remove them and upload the file again.")
            % {"count": len(invalid)}
        )
    users = list(User.objects.filter(pk__in=[row.user for row in rows if row.status == VALID]))
    invitations = new_invitations(rows)
    capacity_check(cohort, len(users) + len(invitations))
    added = cohort_members_add(
        cohort=cohort, users=users, added_by=applied_by, via=CohortMembership.Via.IMPORT
    )
    # The members now hold their seats: the capacity left is checked again for the invitations.
    invitations_create(
        cohort=cohort, people=[(row.nip, row.email) for row in invitations], created_by=applied_by
    )
    cohort_import.rows = [asdict(row) for row in rows]
    cohort_import.applied_at = timezone.now()
    cohort_import.save(update_fields=["rows", "applied_at"])
    applied = ImportApplied(
        enrolled=len(added.enrolled), joined=len(added.joined), invited=len(invitations)
    )
    audit_record(
        applied_by,
        Action.ENROLLMENT_CHANGED,
        organization=cohort.course.provider_id,
        target=cohort.name,
        detail={
            "change": "imported_to_cohort",
            "cohort_id": cohort.pk,
            "enrolled": applied.enrolled,
            "joined": applied.joined,
            "invited": applied.invited,
        },
    )
    return applied
