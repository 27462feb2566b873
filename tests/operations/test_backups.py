"""Backups: `lentera_backup` writes the database, media and certificate PDFs with a manifest;
`lentera_restore` checks it and brings everything back into a fresh database, where the same
rows are found and an issued certificate still verifies and downloads.

The round trip runs on the suite's database: SQLite (restored into a new file) or PostgreSQL
(restored into a new `<test database>_restore`), so both are covered by `make test`.
"""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import wagtail_factories
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from courses.models import LessonPage
from learners import progress, services
from learners.factories import UserFactory
from learners.models import Certificate
from operations.backups import counted_models, row_counts

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def english(english_interface):
    yield


MANAGE = Path(settings.BASE_DIR) / "manage.py"

VERIFY = """
import hashlib, json
from django.test import Client
from django.urls import reverse
from learners.models import Certificate
certificate = Certificate.objects.select_related("enrollment__user").get()
client = Client()
page = client.get(reverse("learners:certificate_verify", args=[certificate.code]))
client.force_login(certificate.enrollment.user)
pdf = client.get(reverse("learners:certificate_pdf", args=[certificate.code]))
body = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
print(json.dumps({
    "verify_status": page.status_code,
    "serial_shown": certificate.serial in page.content.decode(),
    "serial": certificate.serial,
    "pdf_status": pdf.status_code,
    "pdf_sha256": hashlib.sha256(body).hexdigest(),
}))
"""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def site_data(course_a):
    """A learner who completed course A (certificate and its PDF issued) and an uploaded image."""
    learner = UserFactory(email="lulus@instansi.go.id", full_name="Siti Lulus")
    services.enrollment_create(user=learner, course=course_a)
    for lesson in LessonPage.objects.descendant_of(course_a).live():
        progress.lesson_complete(user=learner, lesson=lesson)
    certificate = Certificate.objects.get(enrollment__user=learner)
    assert certificate.pdf and certificate.pdf.storage.exists(certificate.pdf.name)
    wagtail_factories.ImageFactory(
        title="Foto kegiatan", file=ContentFile(_png(), name="kegiatan.png")
    )
    return certificate


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "orange").save(buffer, format="PNG")
    return buffer.getvalue()


def _backup(tmp_path: Path) -> Path:
    out = io.StringIO()
    call_command("lentera_backup", output=str(tmp_path / "backups"), stdout=out)
    (archive,) = (tmp_path / "backups").glob("lentera-backup-*.tar.gz")
    assert str(archive) in out.getvalue()
    return archive


def _manifest(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        return json.load(tar.extractfile("manifest.json"))


def _fresh_database(tmp_path: Path):
    """A DATABASE_URL for a new, empty database of the suite's vendor, and a cleanup."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}", lambda: None
    params = connection.settings_dict
    name = f"{params['NAME']}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')

    credentials = params["USER"] + (f":{params['PASSWORD']}" if params.get("PASSWORD") else "")
    host = f"{params.get('HOST') or 'localhost'}:{params.get('PORT') or 5432}"
    return f"postgres://{credentials}@{host}/{name}", drop


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - the project's own manage.py
        [sys.executable, str(MANAGE), *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_backup_then_restore_into_a_fresh_database(site_data, tmp_path):
    certificate = site_data
    pdf_bytes = certificate.pdf.read()
    certificate.pdf.close()
    archive = _backup(tmp_path)

    manifest = _manifest(archive)
    assert manifest["database_vendor"] == connection.vendor
    assert manifest["lentera_version"] == "0.1.0"
    assert manifest["row_counts"] == row_counts()
    assert manifest["row_counts"]["learners.Certificate"] == 1
    assert set(manifest["row_counts"]) == set(counted_models())
    assert manifest["files"][f"private-media/{certificate.pdf.name}"] == _sha256(pdf_bytes)
    assert any(name.startswith("media/original_images/") for name in manifest["files"])

    database_url, drop = _fresh_database(tmp_path)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "PYTEST"))
    } | {
        "DJANGO_SETTINGS_MODULE": "lentera.settings.base",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(tmp_path / "restored-media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "restored-private"),
    }
    try:
        restored = _manage("lentera_restore", str(archive), env=env)
        # The command fails when a count differs; each table is listed with both counts.
        assert restored.returncode == 0, restored.stderr + restored.stdout
        for label, count in manifest["row_counts"].items():
            line = next(line for line in restored.stdout.splitlines() if f" {label} " in line)
            assert line.split()[-4] == line.split()[-2] == str(count), line

        # The certificate PDF is back in the private media folder, byte for byte.
        restored_pdf = tmp_path / "restored-private" / certificate.pdf.name
        assert _sha256(restored_pdf.read_bytes()) == _sha256(pdf_bytes)

        checked = _manage("shell", "-c", VERIFY, env=env)
        assert checked.returncode == 0, checked.stderr
        result = json.loads(checked.stdout.strip().splitlines()[-1])
        assert result == {
            "verify_status": 200,
            "serial_shown": True,
            "serial": certificate.serial,
            "pdf_status": 200,
            "pdf_sha256": _sha256(pdf_bytes),
        }

        # A second restore into the now full database is refused without --force.
        again = _manage("lentera_restore", str(archive), env=env)
        assert again.returncode != 0
        assert "--force" in again.stderr
    finally:
        drop()


# Refusals, each with a clear message (run in-process: nothing is restored)


def _rewrite(archive: Path, target: Path, change) -> Path:
    """A copy of `archive` with `change(name, data) -> data` applied to every member."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as copy:
        for member in source.getmembers():
            data = change(member.name, source.extractfile(member).read())
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    return target


@pytest.fixture
def archive(site_data, tmp_path):
    return _backup(tmp_path)


def test_restore_of_a_missing_file_says_so(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("lentera_restore", str(tmp_path / "tidak-ada.tar.gz"))


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    fake = tmp_path / "bukan.tar.gz"
    fake.write_bytes(b"%PDF-1.4 not a backup")
    with pytest.raises(CommandError, match="not a readable Lentera backup"):
        call_command("lentera_restore", str(fake))


def test_restore_refuses_an_altered_member(archive, tmp_path):
    def alter(name, data):
        # Only the certificates: other tests' private files may be in the same storage.
        return data + b"\x00" if name.startswith("private-media/certificates/") else data

    tampered = _rewrite(archive, tmp_path / "diubah.tar.gz", alter)
    with pytest.raises(CommandError, match="Checksum mismatch for private-media/certificates/"):
        call_command("lentera_restore", str(tampered))


def test_restore_refuses_another_database_vendor(archive, tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    def relabel(name, data):
        if name != "manifest.json":
            return data
        return json.dumps(json.loads(data) | {"database_vendor": other}).encode()

    relabelled = _rewrite(archive, tmp_path / "vendor.tar.gz", relabel)
    with pytest.raises(CommandError, match=f"This backup is of a {other} database"):
        call_command("lentera_restore", str(relabelled))


def test_restore_refuses_a_database_with_data_without_force(archive):
    users = row_counts()["learners.User"]
    with pytest.raises(CommandError, match="already has data"):
        call_command("lentera_restore", str(archive))
    assert row_counts()["learners.User"] == users


def test_backup_archive_is_readable_by_its_owner_only(site_data, tmp_path):
    # It holds every NIP and password hash: a permissive umask must not make it world-readable.
    previous = os.umask(0o022)
    try:
        archive = _backup(tmp_path)
    finally:
        os.umask(previous)
    assert archive.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "backups").stat().st_mode & 0o777 == 0o700
    assert not list((tmp_path / "backups").glob("*.partial"))


def test_every_table_of_lentera_apps_is_counted_and_no_installed_package_is():
    """The counted tables come from the app registry: a new app's tables join the manifest
    without a hand-kept list, and those of installed packages (sessions, allauth) stay out."""
    counted = counted_models()
    assert len(counted) == len(set(counted))
    for label in (
        "learners.User",
        "learners.Certificate",
        "courses.CoursePage",
        "cohorts.Cohort",
        "quizzes.QuizAttempt",
        "evaluation.CourseEvaluation",
        "wagtailcore.Page",
        "wagtaildocs.Document",
    ):
        assert label in counted
    assert not [
        label for label in counted if label.split(".")[0] in {"sessions", "account", "auth"}
    ]
