from django.conf import settings
from django.core.management.base import BaseCommand

from courses.services import site_identity_sync


class Command(BaseCommand):
    help = (
        "Give the Wagtail site and Django's site the public address in BASE_URL and the name "
        "Lentera, so links in e-mails and the API name the right host. `make setup` runs it."
    )

    def handle(self, *args, **options):
        site_identity_sync(base_url=settings.WAGTAILADMIN_BASE_URL, name=settings.WAGTAIL_SITE_NAME)
        self.stdout.write(f"Site address: {settings.WAGTAILADMIN_BASE_URL}")
