"""English messages for tests that compare them with their source text (use the fixture
explicitly: other search tests use /en/ URLs, which this fixture would break).

The Indonesian catalogue is checked as a whole by tests/lentera/test_translations.py.
"""

import pytest
from django.urls import clear_url_caches
from django.utils import translation


@pytest.fixture
def english_interface(settings):
    default_language = settings.LANGUAGE_CODE
    settings.LANGUAGE_CODE = "en"
    clear_url_caches()
    translation.activate("en")
    yield
    # The URL resolver memoises language prefixes, and requests activate their language in
    # this thread: hand the next test a clean resolver and the default language.
    settings.LANGUAGE_CODE = default_language
    clear_url_caches()
    translation.activate(default_language)
