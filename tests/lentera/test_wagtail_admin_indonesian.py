"""The Wagtail admin and its moderation e-mails in Indonesian, without English left in between.

Wagtail's own id_ID catalogue covers part of the admin; locale-wagtail/ completes and corrects it.
These tests read what an editor and a moderator get: the dashboard, the page editor, the workflow
actions and the e-mails the real moderation workflow sends.
"""

import re
from pathlib import Path

import polib
import pytest
import wagtail
import wagtail_localize
from django.conf import settings
from django.core import mail
from django.urls import reverse

from courses.factories import CoursePageFactory, provider_page_of

pytestmark = pytest.mark.django_db

WAGTAIL_CATALOGUE = Path(settings.BASE_DIR) / "locale-wagtail" / "id" / "LC_MESSAGES" / "django.po"


def _html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _assert_indonesian(text: str, *, english: list[str], indonesian: list[str]) -> None:
    assert [phrase for phrase in english if phrase in text] == []
    assert [phrase for phrase in indonesian if phrase not in text] == []


@pytest.fixture
def course_in_moderation(provider_a, editor_a):
    """A draft course an editor has submitted to the organization's moderation workflow."""
    course = CoursePageFactory(parent=provider_page_of(provider_a), title="Kursus Baru", live=False)
    course.save_revision(user=editor_a)
    course.get_workflow().start(course, editor_a)
    return course


def test_dashboard_menu_is_indonesian(client_for, moderator_a):
    html = _html(client_for(moderator_a).get(reverse("wagtailadmin_home")))
    _assert_indonesian(
        html,
        english=[
            '"label": "Reports"',
            '"label": "Help"',
            '"label": "Workflows"',
            '"label": "Site history"',
            '"label": "Locked pages"',
            ">Keyboard shortcuts<",
        ],
        indonesian=[
            '"label": "Laporan"',
            '"label": "Bantuan"',
            '"label": "Alur kerja"',
            '"label": "Riwayat situs"',
            '"label": "Halaman terkunci"',
            ">Pintasan keyboard<",
        ],
    )


def test_new_page_editor_is_indonesian(client_for, editor_a, provider_a):
    add_course = reverse(
        "wagtailadmin_pages:add", args=["courses", "coursepage", provider_page_of(provider_a).pk]
    )
    html = _html(client_for(editor_a).get(add_course))
    _assert_indonesian(
        html,
        english=['placeholder="Page title*"', ">Checks<", ">Words<", "For search engines"],
        indonesian=[
            'placeholder="Judul halaman*"',
            "Pemeriksaan",
            ">Kata<",
            "Untuk mesin pencari",
            "Ajukan ke",
        ],
    )


def test_moderator_action_menu_is_indonesian(client_for, moderator_a, course_in_moderation):
    edit = reverse("wagtailadmin_pages:edit", args=[course_in_moderation.pk])
    html = _html(client_for(moderator_a).get(edit))
    _assert_indonesian(
        html,
        english=[
            "Approve with comment",
            "Request changes",
            "dan Publikasikan",
            "Reviewers can edit",
        ],
        indonesian=[
            "Setujui dengan komentar dan publikasikan",
            "Setujui dan publikasikan",
            "Minta perbaikan",
            "Peninjau dapat mengubah halaman ini",
        ],
    )


def test_page_listing_has_no_doubled_plural(client_for, editor_a, provider_a, course_a):
    # Indonesian marks no plural: Wagtail's catalogue said "1-1 dari 1 halaman-halaman".
    explore = reverse("wagtailadmin_explore", args=[provider_page_of(provider_a).pk])
    html = _html(client_for(editor_a).get(explore))
    _assert_indonesian(
        html,
        english=["Current page status:", "Bulk actions", "Just now"],
        indonesian=["1-1 dari 1 halaman", "Status halaman saat ini:", "Tindakan massal"],
    )
    assert "halaman-halaman" not in html


def _workflow_action(client, page, action: str, comment: str):
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    response = client.post(url, {"comment": comment})
    assert response.status_code == 302, response.content.decode()[:1000]


def test_moderation_emails_are_indonesian(
    client_for, editor_a, moderator_a, provider_a, course_in_moderation
):
    course = course_in_moderation
    submitted = [message for message in mail.outbox if moderator_a.email in message.to]

    mail.outbox.clear()
    _workflow_action(client_for(moderator_a), course, "reject", "Lengkapi tujuan pembelajaran.")
    rejected = list(mail.outbox)

    course.refresh_from_db()
    course.current_workflow_state.resume(editor_a)
    mail.outbox.clear()
    course.refresh_from_db()
    _workflow_action(client_for(moderator_a), course, "approve", "Sudah sesuai.")
    approved = list(mail.outbox)

    for messages in (submitted, rejected, approved):
        assert messages, "every step of the workflow sends a notification"
    english = [
        "The page",
        "has been",
        "submitted for approval",
        "The following comment was left",
        "Hello",
        "Apa kabar",
        "disini",
    ]
    for message in submitted + rejected + approved:
        _assert_indonesian(
            f"{message.subject}\n{message.body}",
            english=english,
            indonesian=["Yth. ", "Atur preferensi notifikasi Anda di sini:"],
        )
    assert submitted[0].subject == (
        'Halaman "Kursus Baru" diajukan untuk disetujui pada tahap moderasi'
        ' "LPA — Persetujuan moderator"'
    )
    assert "Pratinjau halaman tersebut di sini:" in submitted[0].body
    assert [message.to for message in rejected] == [[editor_a.email]]
    assert rejected[0].subject.startswith('Halaman "Kursus Baru" dikembalikan untuk diperbaiki')
    assert 'Komentar yang diberikan: "Lengkapi tujuan pembelajaran."' in rejected[0].body
    assert [message.to for message in approved] == [[editor_a.email]]
    assert approved[0].subject.startswith('Halaman "Kursus Baru" telah disetujui')


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_wagtail_catalogue_matches_the_installed_wagtail(domain):
    """Every entry still translates a msgid of the installed Wagtail (or wagtail-localize), with
    its placeholders: after an upgrade a changed msgid shows here instead of silently falling back
    to English."""
    source_msgids = set()
    for package in (wagtail, wagtail_localize):
        root = Path(package.__file__).parent
        for catalogue in root.glob(f"**/locale/en/LC_MESSAGES/{domain}.po"):
            source_msgids.update((entry.msgctxt, entry.msgid) for entry in polib.pofile(catalogue))
    ours = polib.pofile(str(WAGTAIL_CATALOGUE.with_name(f"{domain}.po")))

    assert len(ours) > 50
    assert [
        entry.msgid for entry in ours if (entry.msgctxt, entry.msgid) not in source_msgids
    ] == []
    assert [entry.msgid for entry in ours.untranslated_entries()] == []
    assert [entry.msgid for entry in ours.fuzzy_entries()] == []
    placeholder = re.compile(r"%\(\w+\)[sd]")
    mismatched = [
        entry.msgid
        for entry in ours
        if not set(placeholder.findall(entry.msgstr or entry.msgstr_plural.get(0, "")))
        <= set(placeholder.findall(entry.msgid + (entry.msgid_plural or "")))
    ]
    assert mismatched == []
    # Indonesian marks no plural ("halaman", never "halaman-halaman").
    doubled = re.compile(r"\b(\w{3,})-\1\b")
    translations = {entry.msgid: entry.msgstr or entry.msgstr_plural.get(0, "") for entry in ours}
    assert [msgid for msgid, text in translations.items() if doubled.search(text)] == []


def test_wagtail_catalogue_is_a_locale_path_after_lenteras_own():
    # compilemessages (make test, CI) compiles every LOCALE_PATHS entry; makemessages writes only
    # to the first one, so it never rewrites the hand-kept Wagtail catalogue.
    locale_paths = [Path(path) for path in settings.LOCALE_PATHS]
    assert locale_paths[0] == Path(settings.BASE_DIR) / "locale"
    assert WAGTAIL_CATALOGUE.parents[2] in locale_paths[1:]


def test_admin_javascript_strings_are_indonesian(client_for, editor_a):
    # The comments, the block editor and the side panels take their words from this catalogue,
    # which maps each English msgid to its translation.
    catalogue = _html(client_for(editor_a).get(reverse("wagtailadmin_javascript_catalog")))
    for msgid, translation in [
        ("Add a comment", "Tambah komentar"),
        ("Insert a block", "Sisipkan blok"),
        ("Collapse all", "Ciutkan semua"),
        ("Toggle side panel", "Buka/tutup panel samping"),
    ]:
        assert f'"{msgid}": "{translation}"' in catalogue
