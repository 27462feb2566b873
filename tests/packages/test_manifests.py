"""Manifests are read into the parsed manifest, or refused with a reason an editor can act on."""

import json

import pytest
from django.core.exceptions import ValidationError

from packages import samples
from packages.manifests import _with_parameters, package_parse
from packages.validation import archive_check
from tests.packages.zips import open_zip, scorm12_zip, zip_bytes

SCORM2004_HEAD = b"""<?xml version="1.0"?>
<manifest identifier="m" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
    xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
    xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>%s</schemaversion></metadata>
"""


def parse(files: dict):
    return package_parse(archive_check(open_zip(zip_bytes(files))))


def refusal(files: dict) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        parse(files)
    return caught.value


def message(error: ValidationError) -> str:
    return str(error.message) % (error.params or {})


def scorm12(items: str, resources: str, *, schemaversion: str = "1.2") -> bytes:
    return f"""<?xml version="1.0"?>
<manifest identifier="m" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>{schemaversion}</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>Etika ASN</title>
  {items}</organization></organizations>
  <resources>{resources}</resources>
</manifest>""".encode()


def test_scorm12_items_with_mastery_and_time_limits():
    manifest = scorm12(
        """<item identifier="i1" identifierref="r1"><title>Bab 1</title>
             <adlcp:masteryscore>75</adlcp:masteryscore>
             <adlcp:datafromlms>mode=uji</adlcp:datafromlms>
             <adlcp:maxtimeallowed>00:30:00</adlcp:maxtimeallowed>
             <adlcp:timelimitaction>exit,message</adlcp:timelimitaction></item>
           <item identifier="i2" identifierref="r2" parameters="?bab=2">
             <title>Bab 2</title></item>""",
        """<resource identifier="r1" type="webcontent" adlcp:scormtype="sco"
             href="bab1/index.html"/>
           <resource identifier="r2" type="webcontent" adlcp:scormtype="asset"
             href="bab2/baca.html?x=1"/>""",
    )
    parsed = parse({"imsmanifest.xml": manifest, "bab1/index.html": b"1", "bab2/baca.html": b"2"})
    assert (parsed.kind, parsed.schema_version, parsed.title) == ("scorm12", "1.2", "Etika ASN")
    first, second = parsed.manifest["items"]
    assert first["launch"] == "bab1/index.html"
    assert first["scorm_type"] == "sco"
    assert first["mastery_score"] == 75.0
    assert first["data_from_lms"] == "mode=uji"
    assert first["max_time_allowed"] == "00:30:00"
    assert first["time_limit_action"] == "exit,message"
    assert second["launch"] == "bab2/baca.html?x=1&bab=2"
    assert second["scorm_type"] == "asset"
    assert parsed.manifest["version"] == "1.2"
    assert parsed.manifest["organization"] == "org"
    json.dumps(parsed.manifest)  # stored in a JSONField


@pytest.mark.parametrize(
    ("href", "parameters", "launch"),
    [
        ("a.html", "?x=1", "a.html?x=1"),
        ("a.html", "x=1", "a.html?x=1"),
        ("a.html?y=2", "?x=1", "a.html?y=2&x=1"),
        ("a.html?y=2", "&x=1", "a.html?y=2&x=1"),
        ("a.html#top", "?x=1", "a.html?x=1#top"),
        ("a.html", "#bab2", "a.html#bab2"),
        ("a.html#top", "#bab2", "a.html#top"),
        ("a.html", "", "a.html"),
    ],
)
def test_item_parameters_join_the_launch_url(href, parameters, launch):
    assert _with_parameters(href, parameters) == launch


def test_nested_items_keep_their_parent_depth_and_outline_order():
    manifest = scorm12(
        """<item identifier="m1"><title>Modul 1</title>
             <item identifier="a" identifierref="r"><title>A</title></item>
             <item identifier="m2"><title>Modul 1.1</title>
               <item identifier="b" identifierref="r"><title>B</title></item></item></item>
           <item identifier="c" identifierref="r"><title>C</title></item>""",
        '<resource identifier="r" type="webcontent" adlcp:scormtype="sco" href="i.html"/>',
    )
    parsed = parse({"imsmanifest.xml": manifest, "i.html": b"1"})
    items = parsed.manifest["items"]
    assert [(i["identifier"], i["parent"], i["depth"]) for i in items] == [
        ("a", "m1", 1),
        ("b", "m2", 2),
        ("c", None, 0),
    ]
    (root,) = parsed.manifest["structure"]
    assert root["identifier"] == "org"
    assert [child["identifier"] for child in root["children"]] == ["m1", "c"]
    assert root["children"][0]["children"][1]["children"][0]["launch"] == "i.html"


def test_the_default_organization_is_used():
    manifest = b"""<?xml version="1.0"?>
<manifest identifier="m" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schemaversion>1.2</schemaversion></metadata>
  <organizations default="kedua">
    <organization identifier="pertama"><title>Satu</title>
      <item identifier="x" identifierref="r"><title>X</title></item></organization>
    <organization identifier="kedua"><title>Dua</title>
      <item identifier="y" identifierref="r"><title>Y</title></item></organization>
  </organizations>
  <resources><resource identifier="r" adlcp:scormtype="sco" href="i.html"/></resources>
</manifest>"""
    parsed = parse({"imsmanifest.xml": manifest, "i.html": b"1"})
    assert parsed.title == "Dua"
    assert [item["identifier"] for item in parsed.manifest["items"]] == ["y"]


def test_xml_base_of_the_manifest_resources_and_resource_prefix_the_launch():
    manifest = scorm12(
        '<item identifier="i" identifierref="r"><title>I</title></item>',
        '<resource identifier="r" adlcp:scormtype="sco" href="mulai.html" xml:base="bab%201/"/>',
    ).replace(b"<resources>", b'<resources xml:base="konten/">')
    parsed = parse({"imsmanifest.xml": manifest, "konten/bab 1/mulai.html": b"1"})
    assert parsed.manifest["items"][0]["launch"] == "konten/bab%201/mulai.html"


def test_scorm2004_3rd_edition_completion_threshold_is_the_element_text():
    manifest = (
        SCORM2004_HEAD % b"2004 3rd Edition"
        + b"""
  <organizations default="o"><organization identifier="o"><title>Kursus</title>
    <item identifier="i" identifierref="r"><title>I</title>
      <adlcp:completionThreshold>0.75</adlcp:completionThreshold>
      <adlcp:dataFromLMS>halo</adlcp:dataFromLMS>
      <adlcp:timeLimitAction>continue,no message</adlcp:timeLimitAction>
    </item></organization></organizations>
  <resources><resource identifier="r" adlcp:scormType="sco" href="i.html"/></resources>
</manifest>"""
    )
    parsed = parse({"imsmanifest.xml": manifest, "i.html": b"1"})
    item = parsed.manifest["items"][0]
    assert parsed.schema_version == "2004 3rd Edition"
    assert parsed.kind == "scorm2004"
    assert item["completion_threshold"] == 0.75
    assert item["data_from_lms"] == "halo"
    assert item["time_limit_action"] == "continue,no message"


def test_scorm2004_4th_edition_thresholds_objectives_and_sequencing():
    manifest = (
        SCORM2004_HEAD % b"2004 4th Edition"
        + b"""
  <organizations default="o"><organization identifier="o"><title>Kursus</title>
    <item identifier="i" identifierref="r"><title>I</title>
      <adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.6"
        progressWeight="2"/>
      <imsss:sequencing>
        <imsss:controlMode choice="false" flow="true"/>
        <imsss:sequencingRules>
          <imsss:preConditionRule>
            <imsss:ruleConditions conditionCombination="any">
              <imsss:ruleCondition condition="satisfied" operator="not"/>
              <imsss:ruleCondition condition="objectiveMeasureGreaterThan"
                measureThreshold="0.5" referencedObjective="obj1"/>
            </imsss:ruleConditions>
            <imsss:ruleAction action="disabled"/>
          </imsss:preConditionRule>
        </imsss:sequencingRules>
        <imsss:limitConditions attemptLimit="3" attemptAbsoluteDurationLimit="PT1H"/>
        <imsss:rollupRules rollupObjectiveSatisfied="true" objectiveMeasureWeight="0.5">
          <imsss:rollupRule childActivitySet="atLeastCount" minimumCount="2">
            <imsss:rollupConditions><imsss:rollupCondition condition="completed"/>
            </imsss:rollupConditions>
            <imsss:rollupAction action="completed"/>
          </imsss:rollupRule>
        </imsss:rollupRules>
        <imsss:objectives>
          <imsss:primaryObjective objectiveID="utama" satisfiedByMeasure="true">
            <imsss:minNormalizedMeasure>0.8</imsss:minNormalizedMeasure>
            <imsss:mapInfo targetObjectiveID="global" writeSatisfiedStatus="true"/>
          </imsss:primaryObjective>
          <imsss:objective objectiveID="obj1"/>
        </imsss:objectives>
        <imsss:deliveryControls tracked="true" completionSetByContent="true"/>
      </imsss:sequencing>
    </item>
    <imsss:sequencing><imsss:controlMode choice="true" flow="true"/></imsss:sequencing>
  </organization></organizations>
  <resources><resource identifier="r" adlcp:scormType="sco" href="i.html"/></resources>
</manifest>"""
    )
    parsed = parse({"imsmanifest.xml": manifest, "i.html": b"1"})
    item = parsed.manifest["items"][0]
    assert parsed.schema_version == "2004 4th Edition"
    assert item["completion_threshold"] == 0.6
    assert item["completed_by_measure"] is True
    assert item["progress_weight"] == 2.0
    assert item["scaled_passing_score"] == 0.8
    assert item["max_time_allowed"] == "PT1H"
    sequencing = item["sequencing"]
    assert sequencing["controlMode"] == {"choice": False, "flow": True}
    (rule,) = sequencing["sequencingRules"]["preConditionRules"]
    assert rule["action"] == "disabled"
    assert rule["conditionCombination"] == "any"
    assert rule["conditions"][1] == {
        "condition": "objectiveMeasureGreaterThan",
        "measureThreshold": 0.5,
        "referencedObjective": "obj1",
    }
    assert sequencing["limitConditions"]["attemptLimit"] == 3
    rollup = sequencing["rollupRules"]
    assert rollup["rollupObjectiveSatisfied"] is True
    assert rollup["objectiveMeasureWeight"] == 0.5
    assert rollup["rules"][0]["minimumCount"] == 2
    assert rollup["rules"][0]["action"] == "completed"
    primary = sequencing["objectives"]["primary"]
    assert primary["mapInfo"] == [{"targetObjectiveID": "global", "writeSatisfiedStatus": True}]
    assert sequencing["deliveryControls"] == {"tracked": True, "completionSetByContent": True}
    assert parsed.manifest["structure"][0]["sequencing"]["controlMode"]["choice"] is True


def test_4th_edition_threshold_not_by_measure_leaves_completion_to_the_content():
    manifest = (
        SCORM2004_HEAD % b"2004 4th Edition"
        + b"""
  <organizations default="o"><organization identifier="o"><title>K</title>
    <item identifier="i" identifierref="r"><title>I</title>
      <adlcp:completionThreshold completedByMeasure="false" minProgressMeasure="0.9"/>
    </item></organization></organizations>
  <resources><resource identifier="r" adlcp:scormType="sco" href="i.html"/></resources>
</manifest>"""
    )
    item = parse({"imsmanifest.xml": manifest, "i.html": b"1"}).manifest["items"][0]
    assert item["completion_threshold"] is None
    assert item["completed_by_measure"] is False


def test_the_sample_packages_parse():
    scorm12_sample = package_parse(archive_check(open_zip(samples.scorm12_single_sco())))
    assert scorm12_sample.manifest["items"][0]["mastery_score"] == 80.0
    scorm2004 = package_parse(archive_check(open_zip(samples.scorm2004_multi_sco())))
    assert scorm2004.schema_version == "2004 4th Edition"
    assert len(scorm2004.manifest["items"]) >= 2
    assert scorm2004.manifest["items"][-1]["scaled_passing_score"] == 0.8


def test_h5p_parses_its_main_library_and_title():
    parsed = package_parse(archive_check(open_zip(samples.h5p_quiz(title="Kuis Etika"))))
    assert parsed.kind == "h5p"
    assert parsed.title == "Kuis Etika"
    assert parsed.schema_version.startswith("H5P.LenteraQuiz ")
    assert parsed.manifest["version"] == "h5p"
    assert parsed.manifest["h5p"]["main_library"] == parsed.schema_version
    (item,) = parsed.manifest["items"]
    assert (item["identifier"], item["launch"], item["scorm_type"]) == ("h5p", "", "sco")


H5P_JSON = {
    "title": "Kuis",
    "mainLibrary": "H5P.Kuis",
    "embedTypes": ["div"],
    "preloadedDependencies": [{"machineName": "H5P.Kuis", "majorVersion": 1, "minorVersion": 2}],
}


def test_h5p_without_its_main_library_folder_is_refused():
    error = refusal({"h5p.json": json.dumps(H5P_JSON), "content/content.json": "{}"})
    assert error.code == "h5p_library_missing"
    assert "H5P.Kuis-1.2" in message(error)


def test_h5p_without_content_is_refused():
    error = refusal({"h5p.json": json.dumps(H5P_JSON), "H5P.Kuis-1.2/library.json": "{}"})
    assert error.code == "h5p_content_missing"


def test_h5p_without_main_library_is_refused():
    error = refusal({"h5p.json": json.dumps({"title": "x"}), "content/content.json": "{}"})
    assert error.code == "h5p_incomplete"


def test_h5p_json_that_does_not_parse_is_refused():
    error = refusal({"h5p.json": "{title:", "content/content.json": "{}"})
    assert error.code == "malformed_json"


@pytest.mark.parametrize("name", ["h5p.json", "content/content.json"])
def test_h5p_json_nested_too_deep_is_refused_not_a_recursion_error(name):
    files = {
        "h5p.json": json.dumps(H5P_JSON),
        "H5P.Kuis-1.2/library.json": "{}",
        "content/content.json": "{}",
        name: "[" * 100000 + "]" * 100000,
    }
    error = refusal(files)
    assert error.code == "malformed_json"
    assert name in message(error)


def test_no_manifest_is_refused():
    error = refusal({"index.html": b"1"})
    assert error.code == "no_manifest"


def test_a_manifest_one_folder_too_deep_says_how_to_zip():
    error = refusal({"Kursus Saya/imsmanifest.xml": b"<manifest/>", "Kursus Saya/i.html": b"1"})
    assert error.code == "manifest_in_folder"
    assert "Kursus Saya/" in message(error)


@pytest.mark.parametrize(
    ("files", "format_name"),
    [
        ({"tincan.xml": b"<tincan/>", "index.html": b"1"}, "xAPI (Tin Can)"),
        ({"cmi5.xml": b"<courseStructure/>", "index.html": b"1"}, "cmi5"),
        ({"course.crs": b"[Course]", "course.au": b"x", "index.html": b"1"}, "AICC"),
    ],
)
def test_other_formats_are_named_and_refused(files, format_name):
    error = refusal(files)
    assert error.code == "unsupported_format"
    assert format_name in message(error)


def test_scorm_1_1_is_refused_naming_its_version():
    manifest = scorm12(
        '<item identifier="i" identifierref="r"><title>I</title></item>',
        '<resource identifier="r" href="i.html"/>',
        schemaversion="1.1",
    )
    error = refusal({"imsmanifest.xml": manifest, "i.html": b"1"})
    assert error.code == "unsupported_version"
    assert "1.1" in message(error)


def test_a_launch_file_missing_from_the_zip_is_refused():
    manifest = scorm12(
        '<item identifier="i" identifierref="r"><title>Bab Satu</title></item>',
        '<resource identifier="r" adlcp:scormtype="sco" href="bab1/mulai.html"/>',
    )
    error = refusal({"imsmanifest.xml": manifest, "bab1/lain.html": b"1"})
    assert error.code == "launch_missing"
    assert "bab1/mulai.html" in message(error) and "Bab Satu" in message(error)


def test_a_flash_launch_file_is_refused():
    manifest = scorm12(
        '<item identifier="i" identifierref="r"><title>I</title></item>',
        '<resource identifier="r" adlcp:scormtype="sco" href="film.swf"/>',
    )
    error = refusal({"imsmanifest.xml": manifest, "film.swf": b"FWS"})
    assert error.code == "launch_unplayable"


@pytest.mark.parametrize("href", ["https://contoh.go.id/k.html", "/etc/passwd.html", "../x.html"])
def test_a_launch_outside_the_package_is_refused(href):
    manifest = scorm12(
        '<item identifier="i" identifierref="r"><title>I</title></item>',
        f'<resource identifier="r" adlcp:scormtype="sco" href="{href}"/>',
    )
    assert refusal({"imsmanifest.xml": manifest, "i.html": b"1"}).code == "external_launch"


def test_an_item_referring_to_an_unknown_resource_is_refused():
    manifest = scorm12('<item identifier="i" identifierref="nope"><title>I</title></item>', "")
    assert refusal({"imsmanifest.xml": manifest, "i.html": b"1"}).code == "resource_missing"


def test_no_organization_is_refused():
    manifest = scorm12("", "").replace(
        b'<organizations default="org"><organization identifier="org"><title>Etika ASN</title>\n  '
        b"</organization></organizations>",
        b"<organizations/>",
    )
    assert refusal({"imsmanifest.xml": manifest, "i.html": b"1"}).code == "no_organization"


def test_an_organization_without_launchable_items_is_refused():
    manifest = scorm12('<item identifier="i"><title>Kosong</title></item>', "")
    assert refusal({"imsmanifest.xml": manifest, "i.html": b"1"}).code == "no_items"


def test_malformed_xml_is_refused_with_its_line():
    error = refusal(
        {"imsmanifest.xml": b"<manifest>\n<organizations>\n</manifest>", "i.html": b"1"}
    )
    assert error.code == "malformed_xml"
    assert "3" in message(error)


def test_xml_entities_are_refused():
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE manifest [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>
<manifest><metadata><schemaversion>&b;</schemaversion></metadata></manifest>"""
    assert refusal({"imsmanifest.xml": bomb, "i.html": b"1"}).code == "unsafe_xml"


def test_an_unknown_sequencing_collection_reference_is_refused():
    manifest = (
        SCORM2004_HEAD % b"2004 4th Edition"
        + b"""
  <organizations default="o"><organization identifier="o"><title>K</title>
    <item identifier="i" identifierref="r"><title>I</title>
      <imsss:sequencing IDRef="tidak-ada"/></item></organization></organizations>
  <resources><resource identifier="r" adlcp:scormType="sco" href="i.html"/></resources>
</manifest>"""
    )
    assert refusal({"imsmanifest.xml": manifest, "i.html": b"1"}).code == "sequencing_missing"


def test_a_version_is_inferred_from_the_namespaces_without_schemaversion():
    manifest = scorm12(
        '<item identifier="i" identifierref="r"><title>I</title></item>',
        '<resource identifier="r" adlcp:scormtype="sco" href="i.html"/>',
    ).replace(
        b"<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>", b""
    )
    assert parse({"imsmanifest.xml": manifest, "i.html": b"1"}).schema_version == "1.2"


def test_minimal_scorm12_zip_helper_parses():
    assert package_parse(archive_check(open_zip(scorm12_zip()))).title == "Kursus"


def nested_items(levels: int) -> str:
    """`levels` items, each inside the one before, the innermost launching "i.html"."""
    opening = "".join(
        f'<item identifier="n{level}"><title>N{level}</title>' for level in range(levels - 1)
    )
    innermost = '<item identifier="leaf" identifierref="r"><title>Daun</title></item>'
    return opening + innermost + "</item>" * (levels - 1)


def test_items_nested_twenty_levels_deep_parse():
    manifest = scorm12(nested_items(20), '<resource identifier="r" href="i.html"/>')
    (item,) = parse({"imsmanifest.xml": manifest, "i.html": b"1"}).manifest["items"]
    assert (item["identifier"], item["depth"]) == ("leaf", 19)


@pytest.mark.parametrize("levels", [21, 1100, 50000])
def test_items_nested_too_deep_are_refused_not_a_recursion_error(levels):
    """A thousand nested <item> elements used to overflow the recursive walk (a 500)."""
    manifest = scorm12(nested_items(levels), '<resource identifier="r" href="i.html"/>')
    error = refusal({"imsmanifest.xml": manifest, "i.html": b"1"})
    assert error.code == "items_too_deep"
    assert "20" in message(error)


def test_too_many_items_are_refused():
    items = "".join(
        f'<item identifier="i{number}" identifierref="r"><title>I</title></item>'
        for number in range(2001)
    )
    manifest = scorm12(items, '<resource identifier="r" href="i.html"/>')
    error = refusal({"imsmanifest.xml": manifest, "i.html": b"1"})
    assert error.code == "too_many_items"
    assert "2000" in message(error)


def test_two_thousand_items_parse():
    items = "".join(
        f'<item identifier="i{number}" identifierref="r"><title>I</title></item>'
        for number in range(2000)
    )
    manifest = scorm12(items, '<resource identifier="r" href="i.html"/>')
    assert len(parse({"imsmanifest.xml": manifest, "i.html": b"1"}).manifest["items"]) == 2000


FILES_URL = "https://paket.lentera.test/files/3f2c/"


def assert_stays_in_the_package(launch: str) -> None:
    """The launch, resolved as the player resolves it (against the package's files URL), is a
    file of the package: no scheme, no host, no absolute path."""
    from urllib.parse import urljoin, urlsplit

    first = launch.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    assert ":" not in first
    assert not launch.startswith(("/", "\\"))
    assert (urlsplit(launch).scheme, urlsplit(launch).netloc) == ("", "")
    assert urljoin(FILES_URL, launch).startswith(FILES_URL)


@pytest.mark.parametrize(
    ("href", "member", "launch"),
    [
        ("javascript%3Aalert(1).html", "javascript:alert(1).html", "javascript%3Aalert(1).html"),
        ("kb%3Ay/index.html", "kb:y/index.html", "kb%3Ay/index.html"),
        ("sco/a%3Ab.html", "sco/a:b.html", "sco/a%3Ab.html"),
        ("halaman satu.html?u=j:x", "halaman satu.html", "halaman%20satu.html?u=j:x"),
    ],
)
def test_a_launch_path_is_percent_encoded_so_it_is_never_a_scheme(href, member, launch):
    manifest = scorm12(
        '<item identifier="i" identifierref="r" parameters="?p=1"><title>I</title></item>',
        f'<resource identifier="r" adlcp:scormtype="sco" href="{href}"/>',
    )
    (item,) = parse({"imsmanifest.xml": manifest, member: b"1"}).manifest["items"]
    separator = "&" if "?" in launch else "?"
    assert item["launch"] == f"{launch}{separator}p=1"
    assert_stays_in_the_package(item["launch"])


def test_an_xml_base_with_a_colon_is_percent_encoded():
    manifest = scorm12(
        '<item identifier="i" identifierref="r"><title>I</title></item>',
        '<resource identifier="r" adlcp:scormtype="sco" xml:base="kb%3A/" href="index.html"/>',
    )
    (item,) = parse({"imsmanifest.xml": manifest, "kb:/index.html": b"1"}).manifest["items"]
    assert item["launch"] == "kb%3A/index.html"
    assert_stays_in_the_package(item["launch"])


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "kb:y/index.html",
        "//jahat.example/x.html",
        "%2F%2Fjahat.example/x.html",
        "\\\\jahat\\x.html",
    ],
)
def test_an_href_with_a_scheme_or_a_host_is_refused(href):
    manifest = scorm12(
        '<item identifier="i" identifierref="r"><title>I</title></item>',
        f'<resource identifier="r" adlcp:scormtype="sco" href="{href}"/>',
    )
    files = {"imsmanifest.xml": manifest, "kb:y/index.html": b"1", "i.html": b"1"}
    assert refusal(files).code == "external_launch"


@pytest.mark.parametrize("base", ["javascript:", "kb:y/", "//jahat.example/", "/mutlak/"])
def test_an_xml_base_with_a_scheme_a_host_or_an_absolute_path_is_refused(base):
    manifest = scorm12(
        '<item identifier="i" identifierref="r"><title>I</title></item>',
        f'<resource identifier="r" adlcp:scormtype="sco" xml:base="{base}" href="index.html"/>',
    )
    error = refusal({"imsmanifest.xml": manifest, "kb:y/index.html": b"1", "index.html": b"1"})
    assert error.code == "external_launch"
    assert base in message(error)
