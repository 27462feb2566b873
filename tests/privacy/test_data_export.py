"""The right of access: one ZIP with data.json and the learner's certificate PDFs, nothing of
anyone else, every relation to the user accounted for, and the download logged."""

import io
import json
import zipfile

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from audit.models import AuditEvent
from learners.factories import UserFactory
from privacy.data_export import personal_data
from privacy.user_data import EXPORTED, USER_DATA
from tests.privacy.conftest import SHORT_ANSWER, complete_course

pytestmark = pytest.mark.django_db

SECTIONS = {
    "profile",
    "roles",
    "enrollments",
    "certificates",
    "quiz_attempts",
    "package_attempts",
    "learning_needs",
    "development_records",
    "coaching_agreements",
    "development_plans",
    "learning_paths",
    "reminders_received",
    "jp_reminders_received",
    "learning_record",
    "nip_claims",
    "email_addresses",
    "agency_sign_in",
    "two_factor_authentication",
    "interface_preferences",
    "processing_log",
    "discussion_posts",
    "discussion_reports",
    "announcements_posted",
    "announcements_received",
    "notifications",
    "live_session_emails_received",
    "communities",
    "community_resources",
    "community_events",
    "community_claims",
    "lti_identities",
    "lti_grade_links",
    "assignment_submissions",
    "change_projects",
}


def _download(client) -> zipfile.ZipFile:
    response = client.post(reverse("privacy:data_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_archive_holds_every_section_and_the_certificate_pdf(history, learner, client_for):
    archive = _download(client_for(learner))
    data = json.loads(archive.read("data.json"))

    assert set(data) >= SECTIONS
    assert data["profile"]["full_name"] == "Siti Nurhaliza"
    assert data["profile"]["nip"] == "198609262015052001"
    assert data["profile"]["organization"] == "Dinas Kesehatan Kota Bandung"
    assert data["profile"]["supervisor_email"] == "budi@dinkes.go.id"

    certificate = history["certificate"]
    [exported] = data["certificates"]
    assert exported["serial"] == certificate.serial
    assert exported["verify_url"].endswith(f"/sertifikat/{certificate.code}/")
    assert exported["pdf"] in archive.namelist()
    pdf = PdfReader(io.BytesIO(archive.read(exported["pdf"])))
    assert "Siti Nurhaliza" in pdf.pages[0].extract_text()

    completed = next(e for e in data["enrollments"] if e["id"] == certificate.enrollment_id)
    assert completed["status"] == "completed"
    assert len(completed["lesson_completions"]) == 4
    assert [h["event"] for h in completed["status_history"]][0] == "enrolled"
    assert completed["course_evaluation"]["comment"].startswith("Materi sangat membantu")
    assert completed["behaviour_followup"]["comment"] == "Siti kini melayani lebih cepat."
    cohort_enrollment = next(e for e in data["enrollments"] if e["cohort"])
    assert cohort_enrollment["cohort"]["cohort_name"] == "Angkatan I"

    [attempt] = data["quiz_attempts"]
    assert SHORT_ANSWER in attempt["answers"].values()
    assert attempt["answered_offline_at"] is None  # answered online
    [need] = data["learning_needs"]
    assert need["reason"] == "Saya perlu memahami analisis data kesehatan."
    assert [r["cohort__name"] for r in data["reminders_received"]] == ["Angkatan I"]
    assert any(r["verb"] == "certificate_issued" for r in data["learning_record"])


def test_archive_contains_nothing_of_another_learner(history, learner, client_for):
    archive = _download(client_for(learner))
    everything = b"".join(archive.read(name) for name in archive.namelist())

    other = history["other_certificate"]
    assert b"Joko" not in everything
    assert b"197501012000031002" not in everything
    assert other.serial.encode() not in everything
    assert other.code.encode() not in everything
    assert len([n for n in archive.namelist() if n.endswith(".pdf")]) == 1


def test_processing_log_lists_staff_actions_on_the_learner(history, learner, hr_admin, client_for):
    # A staff member opens the learner's record in the admin: that is in the learner's log.
    admin = UserFactory(email="admin@lan.go.id", full_name="Admin LAN", is_superuser=True)
    admin.is_staff = True
    admin.save()
    client_for(admin).get(reverse("wagtailusers_users:edit", args=[learner.pk]))

    data = json.loads(_download(client_for(learner)).read("data.json"))

    actions = [(event["action"], event["actor_label"]) for event in data["processing_log"]]
    assert ("record_viewed", "Admin LAN") in actions


def test_each_download_is_one_audit_event_by_the_learner(history, learner, client_for):
    client = client_for(learner)
    _download(client)

    event = AuditEvent.objects.get(action=AuditEvent.Action.DATA_EXPORTED)
    assert event.actor == learner
    assert event.subject_user == learner
    assert event.organization_id == learner.organization_id


def test_download_is_a_post_for_signed_in_people(client, learner, client_for):
    assert client_for(learner).get(reverse("privacy:data_download")).status_code == 405
    response = client.post(reverse("privacy:data_download"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_profile_page_links_the_download_and_the_deletion(learner, client_for):
    page = client_for(learner).get(reverse("learners:profile")).content.decode()
    assert reverse("privacy:data_download") in page
    assert reverse("privacy:account_delete") in page
    assert reverse("privacy:notice") in page


def _user_relations() -> set[tuple[str, str]]:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                field.is_relation
                and not field.auto_created
                and field.related_model is user_model
                and getattr(field, "model", None) is model
            ):
                found.add((model._meta.label, field.name))
    return found


def test_every_relation_to_the_user_is_exported_or_excluded_with_a_reason():
    relations = _user_relations()

    unaccounted = relations - set(USER_DATA)
    assert not unaccounted, f"Export or exclude (with a reason) in privacy.user_data: {unaccounted}"
    assert not set(USER_DATA) - relations, "USER_DATA names relations that no longer exist"
    for key, (kind, note) in USER_DATA.items():
        assert note, key
        if kind == EXPORTED:
            assert note in SECTIONS, key


def test_collecting_the_data_takes_the_same_queries_for_one_or_many_courses(
    learner, course_a, course_b, history
):
    def count(user) -> int:
        with CaptureQueriesContext(connection) as queries:
            personal_data(user)
        return len(queries)

    newcomer = UserFactory(email="baru@dinkes.go.id", full_name="Peserta Baru")
    complete_course(newcomer, course_b)
    few = count(newcomer)
    assert count(learner) == few


def test_the_export_service_records_its_own_audit_event(db):
    """Any entry point (a view, a command, a task) that exports personal data is logged,
    because the service writes the event, not the view."""
    from privacy.data_export import personal_data_export

    person = UserFactory()
    archive = personal_data_export(user=person)

    assert zipfile.ZipFile(io.BytesIO(archive)).namelist()[0] == "data.json"
    event = AuditEvent.objects.get()
    assert (event.actor, event.subject_user, event.detail["format"]) == (person, person, "zip")


def test_accounts_linked_by_lti_and_their_grade_links_are_exported(learner, course_a):
    from lti.models import GradeLink, Identity, Platform

    platform = Platform.objects.create(
        name="Moodle BKN",
        issuer="https://moodle.bkn.go.id",
        client_id="lentera",
        auth_login_url="https://moodle.bkn.go.id/auth",
        auth_token_url="https://moodle.bkn.go.id/token",
        deployment_ids="1",
    )
    identity = Identity.objects.create(platform=platform, sub="u-42", user=learner)
    GradeLink.objects.create(
        identity=identity,
        course=course_a,
        deployment_id="1",
        lineitem_url="https://moodle.bkn.go.id/lineitems/7",
    )
    Identity.objects.create(platform=platform, sub="u-43", user=UserFactory())

    data = personal_data(learner)
    [linked] = data["lti_identities"]
    assert (linked["platform__issuer"], linked["sub"]) == ("https://moodle.bkn.go.id", "u-42")
    [link] = data["lti_grade_links"]
    assert (link["course__title"], link["lineitem_url"]) == (
        course_a.title,
        "https://moodle.bkn.go.id/lineitems/7",
    )
