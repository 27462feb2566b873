from django.core.management.base import BaseCommand
from django.utils import timezone

from learners.services import enrollments_expire


class Command(BaseCommand):
    help = (
        "Lentera's time-based work, run once a day by cron or a systemd timer: marks "
        "certificates past their validity as due for recertification. Idempotent."
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        expired = enrollments_expire(today=today)
        self.stdout.write(f"{today}: {expired} enrollment(s) now due for recertification.")
