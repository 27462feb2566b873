"""The staff list an organization admin imports to confirm members at once: a CSV of NIPs and/or
e-mail addresses, read strictly (every bad row listed, nothing confirmed), then matched against
the organization's pending members (`learners.membership` for what confirming means)."""

import csv
import io
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import Action, audit_record
from content.models import Organization
from learners.membership import identity_verified
from learners.models import MembershipSource, MembershipStatus, User
from learners.nip import nip_parse
from learners.permissions import is_organization_admin

NIP_COLUMNS = {"nip"}
EMAIL_COLUMNS = {"email", "e-mail", "surel", "alamat email", "alamat e-mail"}


class StaffListError(Exception):
    """The file cannot be used; nothing was confirmed."""


@dataclass
class StaffListResult:
    confirmed: list[int] = field(default_factory=list)
    already_confirmed: int = 0
    unmatched_rows: int = 0


def _staff_list_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheet programs on Windows save CSV in the ANSI code page.
        return data.decode("cp1252", errors="replace")


def staff_list_read(data: bytes) -> list[tuple[int, str, str]]:
    """(row number, NIP digits, lower-case e-mail) of a CSV with a "nip" and/or an "email"
    column; StaffListError listing every bad row, so the admin fixes the file at once."""
    if len(data) > settings.LENTERA_IMPORT_MAX_BYTES:
        raise StaffListError(
            _("The file is too large: at most %(size)s MB.")
            % {"size": settings.LENTERA_IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    try:
        text = _staff_list_text(data)
        first_line = text.split("\n", 1)[0]
        delimiter = max(",;\t", key=first_line.count)
        table = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except (UnicodeDecodeError, csv.Error) as error:
        raise StaffListError(_("This file could not be read as a CSV file.")) from error
    if not table:
        raise StaffListError(_("The file is empty."))
    names = [name.strip().lower() for name in table[0]]
    nip_column = next((i for i, name in enumerate(names) if name in NIP_COLUMNS), None)
    email_column = next((i for i, name in enumerate(names) if name in EMAIL_COLUMNS), None)
    if nip_column is None and email_column is None:
        raise StaffListError(_('The first row must name the columns: "nip", "email" or both.'))
    rows, errors = [], []
    for number, values in enumerate(table[1:], start=2):
        if not any(value.strip() for value in values):
            continue
        if len(rows) >= settings.LENTERA_IMPORT_MAX_ROWS:
            raise StaffListError(
                _("The file has more than %(max)s rows: split it into smaller files.")
                % {"max": settings.LENTERA_IMPORT_MAX_ROWS}
            )

        def cell(index, values=values):
            return values[index].strip() if index is not None and index < len(values) else ""

        nip, email = cell(nip_column), cell(email_column).lower()
        try:
            nip = nip_parse(nip).digits if nip else ""
            if email:
                validate_email(email)
        except ValidationError as error:
            errors.append(_("Row %(row)s: %(error)s") % {"row": number, "error": error.messages[0]})
            continue
        if not nip and not email:
            errors.append(_("Row %(row)s: no NIP and no e-mail address.") % {"row": number})
            continue
        rows.append((number, nip, email))
    if errors:
        raise StaffListError("\n".join(errors[:50]))
    if not rows:
        raise StaffListError(_("The file has no rows under its header."))
    return rows


@transaction.atomic
def staff_list_confirm(
    *, organization: Organization, data: bytes, imported_by: User
) -> StaffListResult:
    """Confirm the pending people of `organization` that the admin's staff list names.

    A row matches a person who chose this organization and
    - has verified the row's e-mail address (and holds the row's NIP, if it has one), or
    - for a row with a NIP only: holds that NIP and has verified an e-mail address.
    A NIP alone proves little (anyone may type it), so a list of e-mail addresses is the
    stronger one. All or nothing: a bad row refuses the whole file.
    """
    if not is_organization_admin(imported_by, organization.pk):
        raise PermissionDenied
    rows = staff_list_read(data)
    emails = {email for _row, _nip, email in rows if email}
    nips = {nip for _row, nip, _email in rows if nip}
    candidates = (
        User.objects.filter(organization=organization, is_active=True)
        .filter(Q(nip__in=nips) | Q(emailaddress__email__in=emails, emailaddress__verified=True))
        .distinct()
    )
    people = {person.pk: person for person in candidates}
    verified = {}
    for user_id, email in EmailAddress.objects.filter(
        user_id__in=people, verified=True
    ).values_list("user_id", "email"):
        verified.setdefault(user_id, set()).add(email.lower())
    by_email = {email: pk for pk, addresses in verified.items() for email in addresses}
    by_nip = {person.nip: pk for pk, person in people.items() if person.nip}

    result = StaffListResult()
    matched = set()
    for _number, nip, email in rows:
        if email:
            user_id = by_email.get(email)
            if user_id is not None and nip and people[user_id].nip != nip:
                user_id = None
        else:
            user_id = by_nip.get(nip)
            if user_id is not None and not verified.get(user_id):
                user_id = None
        if user_id is None:
            result.unmatched_rows += 1
        else:
            matched.add(user_id)
    for user_id in sorted(matched):
        if people[user_id].membership_status == MembershipStatus.CONFIRMED:
            result.already_confirmed += 1
        else:
            result.confirmed.append(user_id)
    User.objects.filter(pk__in=result.confirmed).update(
        membership_status=MembershipStatus.CONFIRMED,
        membership_source=MembershipSource.STAFF_LIST,
        membership_decided_at=timezone.now(),
    )
    audit_record(
        imported_by,
        Action.STAFF_LIST_IMPORTED,
        organization=organization,
        target=organization.name,
        detail={
            "rows": len(rows),
            "confirmed": len(result.confirmed),
            "already_confirmed": result.already_confirmed,
            "unmatched_rows": result.unmatched_rows,
        },
    )
    confirmed = list(result.confirmed)

    def announce():
        for person in User.objects.filter(pk__in=confirmed):
            identity_verified.send(sender=User, user=person)

    transaction.on_commit(announce)
    return result


# NIP claims
