"""Importing an organization's structure (work units, positions, who supervises whom) from CSV,
all or nothing."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from content.models import Competency, Organization
from content.translation import source_snippets
from learners.models import MembershipStatus, Position, PositionCompetency, User, WorkUnit
from learners.nip import nip_parse
from learners.permissions import is_organization_admin
from learners.supervisors import SUPERVISOR_LINK_FIELDS, supervisor_chain_loops
from learners.tabular import TableFileError, csv_table

MAX_IMPORT_ROWS = 5000


class ImportRefused(Exception):
    """The file has errors; nothing was imported. `errors` lists them by row."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ImportResult:
    created: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def _rows(text: str, required: set[str], *, delimiter: str | None = ",") -> list[dict]:
    """The rows under the header as {column: value}; blank lines skipped. `delimiter` None:
    whichever of comma, semicolon and tab the header uses most."""
    try:
        table = csv_table(text.lstrip("\ufeff"), max_data_rows=MAX_IMPORT_ROWS, delimiter=delimiter)
    except TableFileError as error:
        raise ImportRefused([str(error)]) from error
    columns = [name.strip().lower() for name in table[0]] if table else []
    missing = required - set(columns)
    if missing:
        raise ImportRefused(
            [_("Missing column(s): %(columns)s.") % {"columns": ", ".join(sorted(missing))}]
        )
    return [
        {
            column: values[index].strip() if index < len(values) else ""
            for index, column in enumerate(columns)
            if column
        }
        for values in table[1:]
        if values
    ]


@transaction.atomic
def work_units_import(*, organization: Organization, text: str) -> ImportResult:
    """Columns: name, parent (the parent unit's name, optional), code (optional)."""
    rows = _rows(text, {"name"})
    result = ImportResult()
    known = {unit.name: unit for unit in WorkUnit.objects.filter(organization=organization)}
    names_in_file = [row["name"] for row in rows]
    for number, row in enumerate(rows, start=2):
        if not row["name"]:
            result.errors.append(_("Row %(row)s: the name is empty.") % {"row": number})
        elif names_in_file.count(row["name"]) > 1:
            result.errors.append(
                _("Row %(row)s: %(name)s appears more than once.")
                % {"row": number, "name": row["name"]}
            )
        parent = row.get("parent", "")
        if parent and parent not in known and parent not in names_in_file:
            result.errors.append(
                _("Row %(row)s: the parent unit %(parent)s does not exist.")
                % {"row": number, "parent": parent}
            )
    if result.errors:
        raise ImportRefused(result.errors)
    # Parents first: keep going until every unit's parent exists.
    pending = list(rows)
    while pending:
        progressed = False
        for row in list(pending):
            parent_name = row.get("parent", "")
            if parent_name and parent_name not in known:
                continue
            if row["name"] in known:
                result.unchanged += 1
            else:
                known[row["name"]] = WorkUnit.objects.create(
                    organization=organization,
                    name=row["name"],
                    code=row.get("code", ""),
                    parent=known.get(parent_name),
                )
                result.created += 1
            pending.remove(row)
            progressed = True
        if not progressed:
            raise ImportRefused([_("The parent units form a cycle.")])
    return result


@transaction.atomic
def positions_import(*, organization: Organization, text: str) -> ImportResult:
    """Columns: name, competencies ("M.03:3; T.01:2": competency code and target level)."""
    rows = _rows(text, {"name"})
    result = ImportResult()
    competencies = dict(source_snippets(Competency.objects).values_list("code", "pk"))
    parsed = []
    for number, row in enumerate(rows, start=2):
        if not row["name"]:
            result.errors.append(_("Row %(row)s: the name is empty.") % {"row": number})
            continue
        targets = []
        for item in filter(None, (part.strip() for part in row.get("competencies", "").split(";"))):
            code, _sep, level = item.partition(":")
            code = code.strip()
            if code not in competencies:
                result.errors.append(
                    _("Row %(row)s: unknown competency code %(code)s.")
                    % {"row": number, "code": code}
                )
            elif not level.strip().isdigit() or not 1 <= int(level) <= 5:
                result.errors.append(
                    _("Row %(row)s: the level of %(code)s must be a number from 1 to 5.")
                    % {"row": number, "code": code}
                )
            else:
                targets.append((competencies[code], int(level)))
        parsed.append((row["name"], targets))
    if result.errors:
        raise ImportRefused(result.errors)
    for name, targets in parsed:
        position, created = Position.objects.get_or_create(organization=organization, name=name)
        result.created += created
        result.unchanged += not created
        for competency_id, level in targets:
            PositionCompetency.objects.update_or_create(
                position=position, competency_id=competency_id, defaults={"target_level": level}
            )
    return result


@dataclass
class SupervisorLinksResult:
    linked: int = 0
    unchanged: int = 0


def _identity(row: dict, prefix: str) -> tuple[str, str, str | None]:
    """(NIP digits, lower-case e-mail, error) of the person a row names in its `prefix`nip and
    `prefix`email columns."""
    nip, email = row.get(f"{prefix}nip", ""), row.get(f"{prefix}email", "").lower()
    if nip:
        try:
            nip = nip_parse(nip).digits
        except ValidationError as error:
            return "", email, error.messages[0]
    return nip, email, None


def _people_by_identity(organization: Organization, nips: set[str], emails: set[str]):
    """The organization's active, confirmed members with one of these NIPs or e-mail addresses,
    indexed by each: one query. A sign-up HR has not confirmed (or refused) only names the
    organization, and must never become anyone's confirmed supervisor through a file."""
    people = (
        User.objects.filter(
            organization=organization,
            is_active=True,
            membership_status=MembershipStatus.CONFIRMED,
        )
        .annotate(email_lower=Lower("email"))
        .filter(Q(nip__in=nips) | Q(email_lower__in=emails))
    )
    by_nip, by_email = {}, {}
    for person in people:
        if person.nip:
            by_nip[person.nip] = person
        by_email[person.email_lower] = person
    return by_nip, by_email


@transaction.atomic
def supervisor_links_import(
    *, organization: Organization, text: str, imported_by: User
) -> SupervisorLinksResult:
    """HR sets who supervises whom from the organization's structure. Columns: `nip` or `email`
    of the person, `supervisor_nip` or `supervisor_email` of their direct supervisor (both of a
    pair may be given: they must name the same person).

    Both must be active, confirmed members of `organization`. The links are set confirmed
    (accepted by the supervisor and confirmed by HR at once: HR vouches for the structure) and
    each one is audited. All or nothing: any error (an unknown person, oneself as supervisor, a
    person listed twice, a chain of supervisors that loops, counting the links already set, or a
    link of the importing admin themself) refuses the file with every error listed by row.
    """
    if not is_organization_admin(imported_by, organization.pk):
        raise PermissionDenied
    rows = _rows(text, set(), delimiter=None)
    columns = set(rows[0]) if rows else set()
    if not rows:
        raise ImportRefused([_("The file has no rows under its header.")])
    if not columns & {"nip", "email"} or not columns & {"supervisor_nip", "supervisor_email"}:
        raise ImportRefused(
            [
                _(
                    'The first row must name the columns: "nip" or "email" of the person, and '
                    '"supervisor_nip" or "supervisor_email" of their direct supervisor.'
                )
            ]
        )
    errors: list[str] = []
    parsed = []
    for number, row in enumerate(rows, start=2):
        if not any(row.values()):
            continue
        person_nip, person_email, person_error = _identity(row, "")
        boss_nip, boss_email, boss_error = _identity(row, "supervisor_")
        for error in (person_error, boss_error):
            if error:
                errors.append(_("Row %(row)s: %(error)s") % {"row": number, "error": error})
        if person_error or boss_error:
            continue
        if not (person_nip or person_email):
            errors.append(
                _("Row %(row)s: no NIP and no e-mail address of the person.") % {"row": number}
            )
            continue
        if not (boss_nip or boss_email):
            errors.append(
                _("Row %(row)s: no NIP and no e-mail address of the supervisor.") % {"row": number}
            )
            continue
        parsed.append((number, (person_nip, person_email), (boss_nip, boss_email)))
    if len(parsed) > settings.LENTERA_IMPORT_MAX_ROWS:
        raise ImportRefused(
            [
                _("The file has more than %(max)s rows: split it into smaller files.")
                % {"max": settings.LENTERA_IMPORT_MAX_ROWS}
            ]
        )
    nips = {nip for _n, *pair in parsed for nip, _e in pair if nip}
    emails = {email for _n, *pair in parsed for _nip, email in pair if email}
    by_nip, by_email = _people_by_identity(organization, nips, emails)

    def find(number: int, nip: str, email: str, *, supervisor: bool) -> User | None:
        found_by_nip = by_nip.get(nip) if nip else None
        found_by_email = by_email.get(email) if email else None
        if nip and email and found_by_nip and found_by_email and found_by_nip != found_by_email:
            errors.append(
                _(
                    "Row %(row)s: the NIP %(nip)s and the e-mail address %(email)s are of "
                    "two different people."
                )
                % {"row": number, "nip": nip, "email": email}
            )
            return None
        found = found_by_nip or found_by_email
        if found is None:
            message = (
                _(
                    "Row %(row)s: no active, confirmed member of %(organization)s has the "
                    "supervisor's %(what)s %(value)s."
                )
                if supervisor
                else _(
                    "Row %(row)s: no active, confirmed member of %(organization)s has the "
                    "%(what)s %(value)s."
                )
            )
            what, value = ("NIP", nip) if nip else (_("e-mail address"), email)
            errors.append(
                message
                % {"row": number, "organization": organization.name, "what": what, "value": value}
            )
        return found

    links: dict[int, User] = {}
    rows_of: dict[int, int] = {}
    for number, (person_nip, person_email), (boss_nip, boss_email) in parsed:
        person = find(number, person_nip, person_email, supervisor=False)
        boss = find(number, boss_nip, boss_email, supervisor=True)
        if person is None or boss is None:
            continue
        if person.pk == boss.pk:
            errors.append(
                _("Row %(row)s: %(name)s cannot be their own supervisor.")
                % {"row": number, "name": person.full_name}
            )
        elif person.pk == imported_by.pk:
            errors.append(
                _(
                    "Row %(row)s: your own supervisor link is not yours to set: name your "
                    "supervisor on your profile."
                )
                % {"row": number}
            )
        elif boss.pk == imported_by.pk:
            errors.append(
                _(
                    "Row %(row)s: you cannot set yourself as the supervisor of %(name)s: "
                    "%(name)s names you on their profile and you accept."
                )
                % {"row": number, "name": person.full_name}
            )
        elif person.pk in links:
            errors.append(
                _("Row %(row)s: %(name)s is listed more than once (first in row %(first)s).")
                % {"row": number, "name": person.full_name, "first": rows_of[person.pk]}
            )
        else:
            links[person.pk] = boss
            rows_of[person.pk] = number
    if errors:
        raise ImportRefused(errors[:100])

    # The chain as it will be: the organization's links now, with the file's over them.
    chain: dict[int, int | None] = dict(
        User.objects.filter(organization=organization).values_list("pk", "supervisor_id")
    )
    chain.update({person_id: boss.pk for person_id, boss in links.items()})
    for person_id, boss in sorted(links.items(), key=lambda item: rows_of[item[0]]):
        if supervisor_chain_loops(person_id, boss.pk, links=chain):
            errors.append(
                _(
                    "Row %(row)s: the supervisor chain loops: %(supervisor)s reports, directly "
                    "or through others, to the person they would supervise."
                )
                % {"row": rows_of[person_id], "supervisor": boss.full_name}
            )
    if errors:
        raise ImportRefused(errors[:100])

    now = timezone.now()
    people = User.objects.select_for_update().filter(pk__in=links).order_by("pk")
    result = SupervisorLinksResult()
    changed = []
    for person in people:
        boss = links[person.pk]
        if person.supervisor_id == boss.pk and person.supervisor_confirmed_at is not None:
            result.unchanged += 1
            continue
        person.supervisor = boss
        person.supervisor_name = boss.full_name
        person.supervisor_email = ""
        person.supervisor_accepted_at = now
        person.supervisor_confirmed_at = now
        changed.append(person)
    User.objects.bulk_update(changed, SUPERVISOR_LINK_FIELDS)
    result.linked = len(changed)
    # Each person may read in their own log who set their supervisor (one insert for all).
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=imported_by,
            actor_label=str(imported_by)[:255],
            organization_id=organization.pk,
            action=AuditEvent.Action.SUPERVISOR_LINK_DECIDED,
            subject_user=person,
            target=_("Supervisor links imported"),
            detail={"approved": True, "supervisor_id": person.supervisor_id, "source": "import"},
        )
        for person in changed
    )
    return result
