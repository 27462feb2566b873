"""The Indonesian catalogue is complete: no untranslated and no fuzzy entries."""

from pathlib import Path

import polib
from django.conf import settings


def test_indonesian_catalogue_is_complete():
    catalogue = polib.pofile(
        str(Path(settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES" / "django.po")
    )
    assert len(catalogue) > 50
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []
