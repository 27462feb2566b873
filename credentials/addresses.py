"""The public addresses credentials name, absolute and in the default language (no /en/), so
that a credential's URLs never depend on the language its holder downloaded it in."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation


def absolute(name: str, *args) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse(name, args=args)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def issuer_url(organization_slug: str) -> str:
    return absolute("credentials:issuer", organization_slug)


def verification_method_url(organization_slug: str, key_id: str) -> str:
    return f"{issuer_url(organization_slug)}#key-{key_id}"


def status_list_url(organization_slug: str, number: int) -> str:
    return absolute("credentials:status_list", organization_slug, number)
