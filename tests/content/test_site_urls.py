"""`{% site_urls %}` reverses the header's and footer's links once per language per process:
the key holds everything the paths depend on."""

from django.conf import settings
from django.test import override_settings
from django.urls import clear_url_caches
from django.utils import translation

from content.templatetags.lentera_tags import site_urls


def _feedback_link() -> str:
    context = {}
    site_urls(context)
    return context["site_urls"]["feedback"]


def test_the_links_follow_which_language_goes_without_a_prefix():
    default_language = settings.LANGUAGE_CODE
    try:
        with override_settings(LANGUAGE_CODE="en"):
            clear_url_caches()
            translation.activate(default_language)
            # Indonesian is not the unprefixed language under these settings.
            assert _feedback_link() == f"/{default_language}/umpan-balik/"
        clear_url_caches()
        assert _feedback_link() == "/umpan-balik/"
    finally:
        clear_url_caches()
        translation.activate(default_language)
