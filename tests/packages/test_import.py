"""package_import: checked, parsed, extracted and recorded, or refused leaving nothing behind."""

import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from content.factories import OrganizationFactory
from learners.factories import UserFactory
from packages import samples
from packages.factories import PackageFactory, PackageLessonPageFactory
from packages.imports import package_import
from packages.models import Package, package_storage
from packages.storage import package_file_path, package_files_delete, package_folder
from packages.validation import Limits
from tests.packages.zips import scorm12_zip

pytestmark = pytest.mark.django_db


def stored_names(folder: str) -> list[str]:
    storage = package_storage()
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}/{name}" for name in files]
    for directory in directories:
        names += stored_names(f"{folder}/{directory}")
    return names


def upload(data: bytes, name: str = "kursus.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/zip")


def test_an_import_stores_every_file_and_records_the_package():
    organization = OrganizationFactory()
    editor = UserFactory()
    data = samples.scorm12_single_sco(title="Kata Sandi")
    package = package_import(uploaded_file=upload(data), organization=organization, user=editor)

    package.refresh_from_db()
    assert package.kind == Package.Kind.SCORM12
    assert package.schema_version == "1.2"
    assert package.title == "Kata Sandi"
    assert package.organization == organization
    assert package.uploaded_by == editor
    assert package.sha256 == hashlib.sha256(data).hexdigest()
    files = package.manifest["files"]
    assert package.file_count == len(files) == 4
    assert package.size == sum(entry["bytes"] for entry in files)
    storage = package_storage()
    for entry in files:
        with storage.open(package_file_path(package, entry["path"])) as stored:
            assert len(stored.read()) == entry["bytes"]
    with storage.open(package_file_path(package, "sco/index.html")) as stored:
        assert b"<html" in stored.read().lower()
    assert package.source_file.name == f"packages/sources/{package.uuid}.zip"
    with package.source_file.open("rb") as source:
        assert source.read() == data
    assert package.items[0]["launch"] == "sco/index.html"


def test_the_editor_may_give_the_title():
    package = PackageFactory(title="  Judul dari editor  ")
    assert package.title == "Judul dari editor"


def test_an_h5p_file_is_stored_with_its_extension():
    package = PackageFactory(archive=samples.h5p_quiz(), file_name="kuis.h5p")
    assert package.kind == Package.Kind.H5P
    assert package.source_file.name.endswith(".h5p")
    assert package_storage().exists(package_file_path(package, "h5p.json"))


def test_left_out_files_are_listed_and_not_stored():
    package = PackageFactory(archive=scorm12_zip({"lama/applet.jar": b"PK"}))
    assert package.manifest["left_out"] == ["lama/applet.jar"]
    assert not package_storage().exists(package_file_path(package, "lama/applet.jar"))


def test_a_refused_package_stores_nothing():
    before_sources = stored_names("packages/sources")
    before_packages = stored_names("packages")
    with pytest.raises(ValidationError) as caught:
        package_import(
            uploaded_file=upload(scorm12_zip({"../evil.html": b"x"})),
            organization=OrganizationFactory(),
            user=None,
        )
    assert caught.value.code == "unsafe_path"
    assert not Package.objects.exists()
    assert stored_names("packages") == before_packages
    assert stored_names("packages/sources") == before_sources


def test_a_failure_while_extracting_removes_what_was_written(monkeypatch):
    """A member whose content breaks the limits while it is read (after others were written)
    leaves neither files nor a row."""
    from packages import storage as storage_module

    written_folders = []
    real_extract = storage_module.package_files_extract

    def extract_then_fail(package, checked):
        written_folders.append(package_folder(package.uuid))
        real_extract(package, checked)
        raise ValidationError("damaged", code="damaged")

    monkeypatch.setattr("packages.imports.package_files_extract", extract_then_fail)
    with pytest.raises(ValidationError):
        package_import(
            uploaded_file=upload(scorm12_zip()), organization=OrganizationFactory(), user=None
        )
    (folder,) = written_folders
    assert stored_names(folder) == []
    assert not Package.objects.exists()


def test_a_failure_saving_the_row_removes_files_and_source(monkeypatch):
    def fail(self, *args, **kwargs):
        raise RuntimeError("database unavailable")

    monkeypatch.setattr(Package, "save", fail)
    before = stored_names("packages")
    with pytest.raises(RuntimeError):
        package_import(
            uploaded_file=upload(scorm12_zip()), organization=OrganizationFactory(), user=None
        )
    assert stored_names("packages") == before


def test_a_file_and_a_folder_of_one_name_are_refused_before_anything_is_stored():
    before = stored_names("packages")
    with pytest.raises(ValidationError) as caught:
        package_import(
            uploaded_file=upload(scorm12_zip({"x.html": b"1", "x.html/y.js": b"2"})),
            organization=OrganizationFactory(),
            user=None,
        )
    assert caught.value.code == "file_folder_conflict"
    assert not Package.objects.exists()
    assert stored_names("packages") == before


@pytest.mark.parametrize(
    "files",
    [{"x.html": b"1", "x.html/y.js": b"2"}, {"x.html/y.js": b"2", "x.html": b"1"}],
    ids=["file first", "folder first"],
)
def test_a_file_the_storage_cannot_write_is_a_refusal_leaving_nothing_behind(monkeypatch, files):
    """Were the check of names missing or incomplete, the storage's own failure (OSError, or a
    renamed file) is still a refusal naming the file, and what was written is removed."""
    monkeypatch.setattr("packages.validation._folder_conflict_check", lambda names: None)
    before = stored_names("packages")
    with pytest.raises(ValidationError) as caught:
        package_import(
            uploaded_file=upload(scorm12_zip(files)), organization=OrganizationFactory(), user=None
        )
    assert caught.value.code == "not_stored"
    assert "x.html" in str(caught.value.message) % caught.value.params
    assert not Package.objects.exists()
    assert stored_names("packages") == before


def test_an_oserror_while_storing_is_a_refusal_leaving_nothing_behind(monkeypatch):
    storage = package_storage()
    real_save = type(storage).save
    saved = []

    def save_then_fail(self, name, content, max_length=None):
        if saved:
            raise OSError(28, "No space left on device")
        saved.append(real_save(self, name, content, max_length))
        return saved[-1]

    monkeypatch.setattr(type(storage), "save", save_then_fail)
    before = stored_names("packages")
    with pytest.raises(ValidationError) as caught:
        package_import(
            uploaded_file=upload(scorm12_zip()), organization=OrganizationFactory(), user=None
        )
    assert caught.value.code == "not_stored"
    assert len(saved) == 1
    assert not Package.objects.exists()
    assert stored_names("packages") == before


def test_names_at_the_length_limits_are_stored():
    longest = "a" * 250 + ".html"
    deep = "/".join(["d" * 250] * 4) + "/" + "e" * 17 + ".js"
    package = PackageFactory(archive=scorm12_zip({longest: b"1", deep: b"2"}))
    assert package_storage().exists(package_file_path(package, longest))
    assert package_storage().exists(package_file_path(package, deep))


def test_folders_nested_hundreds_deep_are_stored_and_deleted():
    deep = "a/" * 510 + "x.js"
    package = PackageFactory(archive=scorm12_zip({deep: b"1"}))
    assert package_storage().exists(package_file_path(package, deep))
    package_files_delete(package.uuid)
    assert stored_names(package_folder(package.uuid)) == []
    assert not Path(package_storage().path(package_folder(package.uuid))).exists()


def test_an_upload_larger_than_the_limit_is_refused_before_reading():
    with pytest.raises(ValidationError) as caught:
        package_import(
            uploaded_file=upload(scorm12_zip()),
            organization=OrganizationFactory(),
            user=None,
            limits=Limits(max_files=10, max_bytes=100, max_file_bytes=100, max_ratio=100),
        )
    assert caught.value.code == "too_big"


def test_package_files_delete_removes_the_folder():
    package = PackageFactory()
    assert stored_names(package_folder(package.uuid))
    package_files_delete(package.uuid)
    assert stored_names(package_folder(package.uuid)) == []


def test_package_file_path_refuses_paths_outside_the_package():
    package = PackageFactory()
    with pytest.raises(ValueError):
        package_file_path(package, "../other/index.html")
    assert package_file_path(package, "a/./b.html") == f"packages/{package.uuid}/a/b.html"


def test_a_package_used_by_a_lesson_cannot_be_deleted(course_a):
    from django.db.models import ProtectedError

    module = course_a.get_children().first().specific
    package = PackageFactory(organization=course_a.provider)
    PackageLessonPageFactory(parent=module, package=package)
    with pytest.raises(ProtectedError):
        package.delete()
