"""wagtail-localize's admin in Indonesian: its views, its translation editor and the editor's script
strings. wagtail-localize's own id_ID catalogue is near-empty, so locale-wagtail/ translates its
msgids; the last tests fail, naming them, when an upgrade brings msgids no catalogue translates."""

import json
import re
from pathlib import Path

import polib
import pytest
import wagtail_localize
from django.urls import reverse
from django.utils.translation import trans_real
from wagtail.models import Locale
from wagtail.users.models import UserProfile
from wagtail_localize.models import TranslationSource

from courses.models import LessonPage, ModulePage

pytestmark = pytest.mark.django_db

# Placeholders a translation must keep: %(name)s, the scripts' %s, and str.format's {} / {name}.
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%s|\{\w*\}")


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _assert_indonesian(text: str, *, english: list[str], indonesian: list[str]) -> None:
    assert [phrase for phrase in english if phrase in text] == []
    assert [phrase for phrase in indonesian if phrase not in text] == []


def _js_catalogue(client, url_name: str) -> dict:
    """The msgid -> translation map a jsi18n script hands to the page's `gettext`."""
    script = _html(client.get(reverse(url_name)))
    return json.loads(re.search(r"const newcatalog = (\{.*?\});\n", script, re.S).group(1))


def _editor_catalogue(client) -> dict:
    """What the translation editor's `gettext` reads: its page loads the admin's catalogue
    (admin_base.html), then wagtail-localize's own, whose entries replace the admin's."""
    return _js_catalogue(client, "wagtailadmin_javascript_catalog") | _js_catalogue(
        client, "wagtail_localize:javascript_catalog"
    )


def _source_entries(domain: str) -> list[polib.POEntry]:
    """Every msgid wagtail-localize has (wagtail_localize.locales' included), from its English
    catalogues: the list of what its admin can show."""
    root = Path(wagtail_localize.__file__).parent
    return [
        entry
        for catalogue in sorted(root.glob(f"**/locale/en/LC_MESSAGES/{domain}.po"))
        for entry in polib.pofile(str(catalogue))
    ]


def test_submitting_a_course_for_translation_is_indonesian(client_for, editor_a, course_a):
    client = client_for(editor_a)
    edit_course = _html(client.get(reverse("wagtailadmin_pages:edit", args=[course_a.pk])))
    _assert_indonesian(
        edit_course, english=["Translate this page"], indonesian=["Terjemahkan halaman ini"]
    )

    submit = _html(
        client.get(reverse("wagtail_localize:submit_page_translation", args=[course_a.pk]))
    )
    _assert_indonesian(
        submit,
        english=[
            "Translate page",
            ">Locales<",
            "Include subtree",
            "All child pages will be created.",
            "Go back",
            'value="Submit"',
        ],
        indonesian=[
            "Terjemahkan halaman",
            "Lokal",
            # The course's modules and lessons; Indonesian marks no plural.
            "Sertakan halaman turunan (6 halaman)",
            "Semua halaman turunannya juga akan dibuat.",
            "Kembali",
            'value="Kirim"',
        ],
    )


def test_the_translation_editor_for_a_lesson_is_indonesian(client_for, editor_a, course_a):
    client = client_for(editor_a)
    lesson = LessonPage.objects.child_of(ModulePage.objects.child_of(course_a).first()).first()
    english = Locale.objects.get(language_code="en")
    submitted = client.post(
        reverse("wagtail_localize:submit_page_translation", args=[lesson.pk]),
        {"locales": [english.pk]},
        follow=True,
    )
    editor = _html(submitted)
    _assert_indonesian(
        editor,
        english=["was successfully submitted for translation", "Translation of "],
        indonesian=[
            f"Halaman &#x27;{lesson.title}&#x27; berhasil diajukan untuk diterjemahkan ke English",
            f"<title>Terjemahan {lesson.title} ke English",
        ],
    )
    # The editor's buttons and labels are drawn by its script, from the catalogue it loads.
    assert reverse("wagtail_localize:javascript_catalog") in editor
    catalogue = _editor_catalogue(client)
    assert {
        msgid: catalogue.get(msgid)
        for msgid in ["Publish in ", "segments translated", "Not translated", "Upload PO file"]
    } == {
        "Publish in ": "Publikasikan dalam ",
        "segments translated": "segmen diterjemahkan",
        "Not translated": "Belum diterjemahkan",
        "Upload PO file": "Unggah berkas PO",
    }

    source = TranslationSource.objects.get_for_instance(lesson)
    sync = _html(client.get(reverse("wagtail_localize:update_translations", args=[source.pk])))
    _assert_indonesian(
        sync,
        english=["Why would I sync my page?", "Publish immediately"],
        indonesian=["Mengapa halaman perlu disinkronkan?", "Langsung publikasikan"],
    )


def test_the_editors_script_strings_follow_the_admin_language_preference(client_for, editor_a):
    # wagtail-localize's catalogue answers in the admin's language (the user's preference), not
    # the browser's: an Indonesian editor on an English browser still reads Indonesian.
    profile = UserProfile.get_for_user(editor_a)
    client = client_for(editor_a)
    profile.preferred_language = "id-id"
    profile.save()
    indonesian = client.get(
        reverse("wagtail_localize:javascript_catalog"), headers={"accept-language": "en"}
    )
    assert '"Publish in ": "Publikasikan dalam "' in _html(indonesian)

    profile.preferred_language = "en"
    profile.save()
    english = _html(client.get(reverse("wagtail_localize:javascript_catalog")))
    assert "Publikasikan dalam" not in english


def _translation(catalogue, entry: polib.POEntry) -> str:
    value = catalogue.get((entry.msgid, 0) if entry.msgid_plural else entry.msgid)
    return (value[0] if isinstance(value, list) else value) or ""


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_wagtail_localize_msgid_is_translated(domain, client_for, editor_a):
    if domain == "django":
        # The merged Indonesian catalogue the admin's views render with: Lentera's locale/ and
        # locale-wagtail/ over every app's own (wagtail-localize's id_ID included).
        catalogue = trans_real.translation("id-id")._catalog
    else:
        catalogue = _editor_catalogue(client_for(editor_a))
    entries = _source_entries(domain)
    assert len(entries) > 40

    assert sorted({entry.msgid for entry in entries if not _translation(catalogue, entry)}) == []
    mismatched = [
        entry.msgid
        for entry in entries
        if set(PLACEHOLDER.findall(_translation(catalogue, entry)))
        != set(PLACEHOLDER.findall(entry.msgid))
    ]
    assert mismatched == []
