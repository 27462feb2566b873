"""Importing an organization's structure (work units, positions) from CSV, all or nothing."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from content.models import Competency, Organization
from learners.models import Position, PositionCompetency, WorkUnit
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


def _rows(text: str, required: set[str]) -> list[dict]:
    """The rows under the header as {column: value}; blank lines skipped."""
    try:
        table = csv_table(text.lstrip("\ufeff"), max_data_rows=MAX_IMPORT_ROWS, delimiter=",")
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
    competencies = dict(Competency.objects.values_list("code", "pk"))
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
