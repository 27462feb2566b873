import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.extra import demo_extra_missing


class Command(BaseCommand):
    help = (
        "Seed the demo catalog (providers, competencies, courses, library) and demo accounts. "
        "Idempotent: a second run creates nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Create demo accounts even where LENTERA_DEMO_ACCOUNTS is off (production).",
        )
        parser.add_argument(
            "--no-accounts", action="store_true", help="Seed content only, no demo accounts."
        )

    def handle(self, *args, force: bool, no_accounts: bool, **options):
        try:
            from demo.builders import DEMO_ACCOUNTS, seed_demo
        except ModuleNotFoundError as error:
            raise demo_extra_missing(error) from error
        with_accounts = not no_accounts
        if with_accounts and not settings.LENTERA_DEMO_ACCOUNTS and not force:
            raise CommandError(
                "Refusing to create demo accounts with published passwords: "
                "LENTERA_DEMO_ACCOUNTS is off in these settings. "
                "Use --no-accounts for content only, or --force if you really mean it."
            )
        # One log line per page created and task run would bury the summary below.
        for noisy in ("wagtail", "django_tasks"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
        report = seed_demo(with_accounts=with_accounts)
        if report.created:
            summary = ", ".join(f"{count} {kind}" for kind, count in report.created.items())
            self.stdout.write(self.style.SUCCESS(f"Demo content created: {summary}."))
        else:
            self.stdout.write("Demo content already present; nothing created.")
        if with_accounts:
            self.stdout.write(
                "Demo accounts (sign in at /accounts/login/; "
                "editors and moderators work at /admin/):"
            )
            for account in DEMO_ACCOUNTS:
                self.stdout.write(f"  {account.role:<37} {account.email:<40} {account.password}")
