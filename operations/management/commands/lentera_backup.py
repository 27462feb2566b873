from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from operations.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the whole site into one lentera-backup-<timestamp>.tar.gz: the database "
        "(SQLite online backup or pg_dump), MEDIA_ROOT and PRIVATE_MEDIA_ROOT (certificate "
        "PDFs), and manifest.json with checksums and row counts. Safe while the site runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=str(Path(settings.BASE_DIR) / "backups"),
            help="Directory the archive is written to (default: backups/).",
        )

    def handle(self, *args, **options):
        try:
            archive = backup_create(output_dir=Path(options["output"]))
        except BackupError as error:
            raise CommandError(str(error)) from error
        size = archive.stat().st_size / (1024 * 1024)
        self.stdout.write(
            self.style.SUCCESS(
                _("Backup written: %(path)s (%(size).1f MB)") % {"path": archive, "size": size}
            )
        )
