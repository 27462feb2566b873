from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from content.models import Organization
from learners.imports import ImportRefused, positions_import, work_units_import
from learners.tabular import TableFileError, csv_text


class Command(BaseCommand):
    help = (
        "Import an organization's work units or positions from a CSV file (UTF-8, UTF-16 or "
        "Windows ANSI). "
        "All or nothing: a file with any error imports nothing and lists every error."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["work-units", "positions"])
        parser.add_argument("organization", help="The organization's short name, e.g. LAN.")
        parser.add_argument("file", type=Path)

    def handle(self, *args, kind: str, organization: str, file: Path, **options):
        found = Organization.objects.filter(short_name__iexact=organization).first()
        if found is None:
            raise CommandError(f"No organization has the short name {organization!r}.")
        try:
            text = csv_text(file.read_bytes())
        except (OSError, TableFileError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        importer = work_units_import if kind == "work-units" else positions_import
        try:
            result = importer(organization=found, text=text)
        except ImportRefused as refused:
            raise CommandError("Nothing was imported:\n" + "\n".join(refused.errors)) from None
        self.stdout.write(
            self.style.SUCCESS(f"{result.created} created, {result.unchanged} already present.")
        )
