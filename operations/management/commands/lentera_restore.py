from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from operations.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a lentera_backup archive into the configured database and media folders, "
        "after checking every checksum. Refuses a database that already has data unless "
        "--force; prints the row counts found beside those recorded in the backup."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="A lentera-backup-<timestamp>.tar.gz file.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the data of a database that is not empty.",
        )

    def handle(self, *args, **options):
        try:
            result = backup_restore(archive=Path(options["archive"]), force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = result.manifest
        self.stdout.write(
            _("Restored the backup of %(date)s (Lentera %(version)s, %(vendor)s).")
            % {
                "date": manifest["created_at"],
                "version": manifest["lentera_version"],
                "vendor": manifest["database_vendor"],
            }
        )
        width = max(len(label) for label in result.counts)
        for label, (expected, found) in result.counts.items():
            mark = "ok" if expected == found else "MISMATCH"
            self.stdout.write(
                f"  {label:<{width}}  backup {expected!s:>8}  now {found!s:>8}  {mark}"
            )
        if result.mismatches:
            raise CommandError("Row counts differ from the backup: " + ", ".join(result.mismatches))
        self.stdout.write(self.style.SUCCESS("Row counts match the backup."))
