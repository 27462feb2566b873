from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from content.models import Organization
from learners.imports import (
    ImportRefused,
    positions_import,
    supervisor_links_import,
    work_units_import,
)
from learners.models import User
from learners.tabular import TableFileError, csv_text


class Command(BaseCommand):
    help = (
        "Import an organization's work units, positions or supervisor links (who supervises "
        "whom, set confirmed; --by names the organization admin recorded in the audit log) from "
        "a CSV file (UTF-8, UTF-16 or Windows ANSI). "
        "All or nothing: a file with any error imports nothing and lists every error."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["work-units", "positions", "supervisors"])
        parser.add_argument("organization", help="The organization's short name, e.g. LAN.")
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--by",
            default="",
            help="supervisors: the e-mail address of the organization admin importing them.",
        )

    def handle(self, *args, kind: str, organization: str, file: Path, by: str = "", **options):
        found = Organization.objects.filter(short_name__iexact=organization).first()
        if found is None:
            raise CommandError(f"No organization has the short name {organization!r}.")
        try:
            text = csv_text(file.read_bytes())
        except (OSError, TableFileError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            if kind == "supervisors":
                admin = (
                    User.objects.filter(email__iexact=by, is_active=True).first() if by else None
                )
                if admin is None:
                    raise CommandError("Supervisor links need --by: an admin's e-mail address.")
                try:
                    linked = supervisor_links_import(
                        organization=found, text=text, imported_by=admin
                    )
                except PermissionDenied as refused:
                    raise CommandError(f"{by} is not an admin of {found.short_name}.") from refused
                self.stdout.write(
                    self.style.SUCCESS(f"{linked.linked} linked, {linked.unchanged} already set.")
                )
                return
            importer = work_units_import if kind == "work-units" else positions_import
            result = importer(organization=found, text=text)
        except ImportRefused as refused:
            raise CommandError("Nothing was imported:\n" + "\n".join(refused.errors)) from None
        self.stdout.write(
            self.style.SUCCESS(f"{result.created} created, {result.unchanged} already present.")
        )
