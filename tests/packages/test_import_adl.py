"""Real manifests: five LMS test packages of ADL's SCORM 2004 4th Edition Test Suite import.

The manifests are copied unchanged (fixtures/adl/, Apache-2.0, see NOTICE.md); each package is
built from its manifest plus a small page for every launch file it names (and the suite's Java
applet, which is left out), then imported like an editor's upload.
"""

import posixpath
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from content.factories import OrganizationFactory
from packages.imports import package_import
from packages.models import Package
from tests.packages.zips import zip_bytes

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "adl"


def adl_package(name: str) -> Package:
    manifest = (FIXTURES / f"LMSTestPackage_{name}.xml").read_bytes()
    # Every <resource href> under its xml:base, as the suite lays them out.
    files = {"imsmanifest.xml": manifest, "common/LMSTest.jar": b"PK\x03\x04"}
    for base, href in re.findall(
        rb'<resource[^>]*?href="([^"]+)"[^>]*?xml:base="([^"]*)"', manifest
    ):
        files[posixpath.join(href.decode(), base.decode())] = b"<html><body>SCO</body></html>"
    upload = SimpleUploadedFile(f"{name}.zip", zip_bytes(files))
    return package_import(uploaded_file=upload, organization=OrganizationFactory(), user=None)


def items_by_id(package: Package) -> dict:
    return {item["identifier"]: item for item in package.manifest["items"]}


def test_cm_01_limit_conditions_and_satisfied_by_measure():
    package = adl_package("CM-01")
    assert package.kind == Package.Kind.SCORM2004
    assert package.schema_version == "2004 4th Edition"
    assert package.title == "LMS Test Content Package CM-01"
    items = items_by_id(package)
    assert list(items) == ["activity_1", "activity_2", "activity_3"]
    assert items["activity_1"]["launch"] == "resources/SequencingTest.htm?tc=CM-01&act=1"
    assert items["activity_1"]["max_time_allowed"] == "P5Y6M4DT12H30M58S"
    assert items["activity_2"]["scaled_passing_score"] == 0.8
    assert items["activity_3"]["scaled_passing_score"] == 0.7
    (root,) = package.manifest["structure"]
    assert root["sequencing"]["controlMode"] == {"choice": False, "flow": True}
    assert package.manifest["left_out"] == ["common/LMSTest.jar"]


def test_cm_07d_deep_tree_and_sequencing_collection():
    package = adl_package("CM-07d")
    items = items_by_id(package)
    assert [identifier.split("_")[1] for identifier in items] == [
        "2", "3", "6", "7", "8", "10", "13", "14", "15", "17", "18",
    ]  # fmt: skip
    assert items["activity_13"]["parent"] == "activity_12"
    assert items["activity_13"]["depth"] == 3
    collection = package.manifest["sequencing_collection"]
    assert collection["seqCol-CM07d-1"]["constrainedChoiceConsiderations"] == {
        "constrainChoice": True,
        "preventActivation": True,
    }
    # An IDRef with nothing local takes the collection's sequencing.
    assert items["activity_13"]["sequencing"]["constrainedChoiceConsiderations"] == {
        "constrainChoice": True,
        "preventActivation": True,
    }
    (root,) = package.manifest["structure"]
    activity_9 = next(node for node in root["children"] if node["identifier"] == "activity_9")
    activity_11 = activity_9["children"][1]
    # Local elements are merged over the referenced ones.
    assert activity_11["sequencing"]["controlMode"] == {"flow": True}
    assert activity_11["sequencing"]["constrainedChoiceConsiderations"] == {
        "constrainChoice": True,
        "preventActivation": True,
    }


def test_ob_01a_objectives_with_global_maps():
    items = items_by_id(adl_package("OB-01a"))
    primary = items["activity_1"]["sequencing"]["objectives"]["primary"]
    assert primary["objectiveID"] == "PRIMARYOBJ_1"
    assert primary["mapInfo"] == [{"targetObjectiveID": "gObj-OB01a", "writeSatisfiedStatus": True}]
    rules = items["activity_2"]["sequencing"]["sequencingRules"]["preConditionRules"]
    assert rules == [
        {
            "conditionCombination": "all",
            "conditions": [{"condition": "satisfied"}],
            "action": "skip",
        }
    ]
    objectives = items["activity_3"]["sequencing"]["objectives"]["objectives"]
    assert [objective["objectiveID"] for objective in objectives] == ["obj", "Obj"]


def test_ru_04aa_rollup_and_exit_rules_on_a_cluster():
    package = adl_package("RU-04aa")
    assert list(items_by_id(package)) == [
        "activity_1",
        "activity_3",
        "activity_4",
        "activity_5",
        "activity_6",
    ]
    (root,) = package.manifest["structure"]
    cluster = root["children"][1]
    assert cluster["identifier"] == "activity_2"
    sequencing = cluster["sequencing"]
    assert sequencing["sequencingRules"]["exitConditionRules"][0]["action"] == "exit"
    assert sequencing["sequencingRules"]["postConditionRules"][0]["action"] == "previous"
    (rule,) = sequencing["rollupRules"]["rules"]
    assert rule["childActivitySet"] == "atLeastPercent"
    assert rule["minimumPercent"] == 0.5
    assert rule["conditionCombination"] == "any"
    assert [c["condition"] for c in rule["conditions"]] == ["satisfied", "objectiveMeasureKnown"]
    assert rule["action"] == "satisfied"


def test_sx_04a_precondition_skip_and_three_scos():
    package = adl_package("SX-04a")
    items = items_by_id(package)
    assert [item["scorm_type"] for item in items.values()] == ["sco", "sco", "sco"]
    assert (
        items["activity_1"]["sequencing"]["sequencingRules"]["preConditionRules"][0]["action"]
        == "skip"
    )
    assert items["activity_2"]["sequencing"] is None
    assert package.file_count == 2  # the manifest and the launch page; the applet is left out
