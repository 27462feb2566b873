from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.daily import registry


class Command(BaseCommand):
    help = (
        "Lentera's time-based work, run once a day by cron or a systemd timer: the daily jobs "
        "the apps register (core.daily), e.g. marking certificates past their validity as due "
        "for recertification, queueing the supervisors' follow-up e-mails (Kirkpatrick level "
        "3) that fell due, removing cohort invitations long expired, and putting back in the "
        "queue background tasks whose worker died. Idempotent. A job that fails does not stop "
        "the others; the command then exits with an error naming it."
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        failures = registry.run(today=today, write=self.stdout.write)
        for failure in failures:
            self.stderr.write(f"{today}: daily job {failure.name} failed: {failure.error!r}")
        if failures:
            names = ", ".join(failure.name for failure in failures)
            raise CommandError(f"{len(failures)} daily job(s) failed: {names}")
