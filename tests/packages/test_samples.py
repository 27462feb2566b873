"""The sample packages (`packages.samples`) import as an editor's upload does: the demo and the
browser tests rely on what the manifests say (items, launch files, mastery and thresholds)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from content.factories import OrganizationFactory
from packages import samples
from packages.imports import package_import
from packages.models import Package, package_storage
from packages.storage import package_file_path

pytestmark = pytest.mark.django_db


def imported(data: bytes, name: str = "paket.zip") -> Package:
    return package_import(
        uploaded_file=SimpleUploadedFile(name, data, content_type="application/zip"),
        organization=OrganizationFactory(),
        user=None,
    )


def stored_text(package: Package, path: str) -> str:
    with package_storage().open(package_file_path(package, path)) as file:
        return file.read().decode()


def test_scorm12_sample_imports_with_its_mastery_score_and_launch_file():
    package = imported(samples.scorm12_single_sco(title="Kata Sandi"))

    assert (package.kind, package.schema_version) == (Package.Kind.SCORM12, "1.2")
    assert package.title == "Kata Sandi"
    [item] = package.manifest["items"]
    assert item["identifier"] == "ITEM-1"
    assert item["launch"] == "sco/index.html"
    assert item["scorm_type"] == "sco"
    assert item["mastery_score"] == 80
    assert package.file_count == 4
    assert 'src="sco.js"' in stored_text(package, "sco/index.html")
    assert "LMSInitialize" in stored_text(package, "sco/sco.js")


def test_scorm2004_sample_imports_two_scos_with_their_sequencing():
    package = imported(samples.scorm2004_multi_sco(scaled_passing_score=0.7))

    assert (package.kind, package.schema_version) == (Package.Kind.SCORM2004, "2004 4th Edition")
    intro, practice = package.manifest["items"]
    assert (intro["identifier"], intro["launch"]) == ("ITEM-INTRO", "sco/intro.html")
    assert intro["completion_threshold"] == 1.0
    assert (practice["identifier"], practice["launch"]) == ("ITEM-PRACTICE", "sco/practice.html")
    assert practice["scaled_passing_score"] == 0.7
    [organization] = package.manifest["structure"]
    assert organization["sequencing"]["controlMode"] == {"choice": True, "flow": True}
    assert [child["identifier"] for child in organization["children"]] == [
        "ITEM-INTRO",
        "ITEM-PRACTICE",
    ]
    # Both SCOs take their delivery controls from the sequencing collection.
    assert "SEQ-CONTENT" in package.manifest["sequencing_collection"]
    assert "API_1484_11" in stored_text(package, "sco/sco.js")


def test_h5p_sample_imports_with_its_own_library():
    package = imported(samples.h5p_quiz(title="Kuis JP", pass_percentage=70), name="kuis.h5p")

    assert package.kind == Package.Kind.H5P
    assert package.schema_version == "H5P.LenteraQuiz 1.0"
    assert package.manifest["h5p"]["main_library"] == "H5P.LenteraQuiz 1.0"
    assert [item["identifier"] for item in package.manifest["items"]] == ["h5p"]
    library = json.loads(stored_text(package, "H5P.LenteraQuiz-1.0/library.json"))
    [script] = library["preloadedJs"]
    assert "H5P.LenteraQuiz = " in stored_text(package, f"H5P.LenteraQuiz-1.0/{script['path']}")
    content = json.loads(stored_text(package, "content/content.json"))
    assert content["passPercentage"] == 70
    assert len(content["questions"]) == 3


def test_hostile_sample_launches_with_the_attackers_parameters():
    package = imported(
        samples.scorm12_hostile(
            site_origin="http://localhost:8000", course_id=3, lesson_id=4, other_lesson_id=5
        )
    )

    [item] = package.manifest["items"]
    assert item["launch"] == (
        "sco/index.html?site=http://localhost:8000&course=3&lesson=4&other_lesson=5"
    )
    assert "document.cookie" in stored_text(package, "sco/probe.js")
