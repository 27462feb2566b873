"""Sample packages built in memory: a SCORM 1.2 single-SCO course, a SCORM 2004 4th Edition
course of two SCOs with sequencing, an H5P quiz with a small content type of our own, and a
hostile SCORM 1.2 package for the safety tests.

The demo puts the first three in its catalog and the tests play them in a browser. Their HTML,
JavaScript and CSS live in `packages/sample_files/` (written for Lentera, MIT like the rest); the
manifests are generated here so that titles and launch parameters can vary. Each function
returns the bytes of a zip (an `.h5p` is a zip too).
"""

import io
import json
import stat
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

SAMPLE_FILES = Path(__file__).resolve().parent / "sample_files"

SCORM12_NAMESPACES = (
    'xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" '
    'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd '
    "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd "
    'http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd"'
)

SCORM2004_NAMESPACES = (
    'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" '
    'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" '
    'xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" '
    'xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3" '
    'xmlns:imsss="http://www.imsglobal.org/xsd/imsss" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd '
    "http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd "
    "http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd "
    "http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd "
    'http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd"'
)

#: The H5P content type the sample quiz uses, authored for Lentera.
H5P_LIBRARY = {"machineName": "H5P.LenteraQuiz", "majorVersion": 1, "minorVersion": 0}

H5P_QUESTIONS = [
    {
        "text": "Apa kepanjangan JP dalam pengembangan kompetensi ASN?",
        "answers": [
            {"text": "Jam Pelajaran", "correct": True},
            {"text": "Jumlah Peserta", "correct": False},
            {"text": "Jadwal Pelatihan", "correct": False},
        ],
    },
    {
        "text": "Berapa JP pengembangan kompetensi paling sedikit setahun bagi setiap ASN?",
        "answers": [
            {"text": "10 JP", "correct": False},
            {"text": "20 JP", "correct": True},
            {"text": "40 JP", "correct": False},
        ],
    },
    {
        "text": "Siapa yang bertanggung jawab menyusun rencana pengembangan kompetensi pegawai?",
        "answers": [
            {"text": "Pegawai sendiri saja", "correct": False},
            {"text": "Instansi bersama pegawai", "correct": True},
        ],
    },
]


def _sample(path: str) -> bytes:
    return (SAMPLE_FILES / path).read_bytes()


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            # Regular files with the usual Unix mode, as a zip tool records them.
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.create_system = 3
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def _file_elements(paths: list[str]) -> str:
    return "".join(f'<file href="{path}"/>' for path in paths)


def _scorm12_manifest(
    *,
    identifier: str,
    title: str,
    href: str,
    files: list[str],
    mastery_score: int | None,
    parameters: str = "",
) -> bytes:
    mastery = (
        f"<adlcp:masteryscore>{mastery_score}</adlcp:masteryscore>"
        if mastery_score is not None
        else ""
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier={quoteattr(identifier)} version="1.0" {SCORM12_NAMESPACES}>
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="ORG-1">
    <organization identifier="ORG-1">
      <title>{escape(title)}</title>
      <item identifier="ITEM-1" identifierref="RES-1" isvisible="true"{
        f" parameters={quoteattr(parameters)}" if parameters else ""
    }>
        <title>{escape(title)}</title>
        {mastery}
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="RES-1" type="webcontent" adlcp:scormtype="sco" href={quoteattr(href)}>
      {_file_elements(files)}
    </resource>
  </resources>
</manifest>
""".encode()


def scorm12_single_sco(
    *, title: str = "Kata Sandi yang Aman", mastery_score: int | None = 80
) -> bytes:
    """A SCORM 1.2 package of one SCO: three pages, the last a three-question quiz (mastery
    score 80 by default). The SCO resumes from lesson_location/suspend_data."""
    files = {
        "sco/index.html": _sample("scorm12/index.html"),
        "sco/sco.js": _sample("scorm12/sco.js"),
        "shared/sample.css": _sample("shared/sample.css"),
    }
    manifest = _scorm12_manifest(
        identifier="lentera-sample-scorm12",
        title=title,
        href="sco/index.html",
        files=list(files),
        mastery_score=mastery_score,
    )
    return _zip({"imsmanifest.xml": manifest, **files})


def scorm2004_multi_sco(
    *,
    title: str = "Standar Pelayanan Publik",
    scaled_passing_score: float = 0.8,
    completion_threshold: float = 1.0,
) -> bytes:
    """A SCORM 2004 4th Edition package of two SCOs under one organization with flow and choice
    navigation: an introduction completed by measure (completion threshold on its progress) and
    a practice SCO whose primary objective is satisfied by its scaled score. The introduction's
    last page asks the LMS to "continue" to the practice. Delivery controls come from a
    sequencing collection."""
    files = {
        "sco/intro.html": _sample("scorm2004/intro.html"),
        "sco/practice.html": _sample("scorm2004/practice.html"),
        "sco/sco.js": _sample("scorm2004/sco.js"),
        "shared/sample.css": _sample("shared/sample.css"),
    }
    manifest = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="lentera-sample-scorm2004" version="1" {SCORM2004_NAMESPACES}>
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>2004 4th Edition</schemaversion>
  </metadata>
  <organizations default="ORG-1">
    <organization identifier="ORG-1" adlseq:objectivesGlobalToSystem="false">
      <title>{escape(title)}</title>
      <item identifier="ITEM-INTRO" identifierref="RES-INTRO">
        <title>Pengantar</title>
        <adlcp:completionThreshold completedByMeasure="true"
          minProgressMeasure="{completion_threshold}"/>
        <imsss:sequencing IDRef="SEQ-CONTENT">
          <imsss:objectives>
            <imsss:primaryObjective objectiveID="PRIMARY-INTRO"/>
          </imsss:objectives>
        </imsss:sequencing>
      </item>
      <item identifier="ITEM-PRACTICE" identifierref="RES-PRACTICE">
        <title>Latihan</title>
        <imsss:sequencing IDRef="SEQ-CONTENT">
          <imsss:limitConditions attemptLimit="0"/>
          <imsss:objectives>
            <imsss:primaryObjective objectiveID="PRIMARY-PRACTICE" satisfiedByMeasure="true">
              <imsss:minNormalizedMeasure>{scaled_passing_score}</imsss:minNormalizedMeasure>
            </imsss:primaryObjective>
          </imsss:objectives>
        </imsss:sequencing>
      </item>
      <imsss:sequencing>
        <imsss:controlMode choice="true" flow="true"/>
        <imsss:rollupRules objectiveMeasureWeight="1"/>
      </imsss:sequencing>
    </organization>
  </organizations>
  <resources>
    <resource identifier="RES-INTRO" type="webcontent" adlcp:scormType="sco"
      href="sco/intro.html">
      <file href="sco/intro.html"/>
      <dependency identifierref="RES-COMMON"/>
    </resource>
    <resource identifier="RES-PRACTICE" type="webcontent" adlcp:scormType="sco"
      href="sco/practice.html">
      <file href="sco/practice.html"/>
      <dependency identifierref="RES-COMMON"/>
    </resource>
    <resource identifier="RES-COMMON" type="webcontent" adlcp:scormType="asset">
      <file href="sco/sco.js"/>
      <file href="shared/sample.css"/>
    </resource>
  </resources>
  <imsss:sequencingCollection>
    <imsss:sequencing ID="SEQ-CONTENT">
      <imsss:deliveryControls tracked="true" completionSetByContent="true"
        objectiveSetByContent="true"/>
    </imsss:sequencing>
  </imsss:sequencingCollection>
</manifest>
""".encode()
    return _zip({"imsmanifest.xml": manifest, **files})


def h5p_quiz(
    *,
    title: str = "Kuis Pengembangan Kompetensi",
    questions: list[dict] | None = None,
    pass_percentage: int = 60,
) -> bytes:
    """An `.h5p` file: h5p.json, content/content.json and the library H5P.LenteraQuiz-1.0 (a
    single-choice quiz that reports its score with xAPI "answered" and "completed")."""
    library_folder = "H5P.LenteraQuiz-1.0"
    h5p_json = {
        "title": title,
        "language": "id",
        "mainLibrary": H5P_LIBRARY["machineName"],
        "embedTypes": ["div"],
        "license": "U",
        "defaultLanguage": "id",
        "preloadedDependencies": [H5P_LIBRARY],
    }
    content = {
        "title": title,
        "questions": questions if questions is not None else H5P_QUESTIONS,
        "passPercentage": pass_percentage,
        "checkLabel": "Periksa",
    }
    library = {
        "title": "Lentera Quiz",
        **H5P_LIBRARY,
        "patchVersion": 0,
        "runnable": 1,
        "author": "Lentera",
        "license": "MIT",
        "description": "A single-choice quiz that reports its score with xAPI.",
        "embedTypes": ["div"],
        "coreApi": {"majorVersion": 1, "minorVersion": 24},
        "preloadedJs": [{"path": "lentera-quiz.js"}],
        "preloadedCss": [{"path": "lentera-quiz.css"}],
    }
    semantics = [
        {"name": "title", "type": "text", "label": "Title", "optional": True},
        {
            "name": "questions",
            "type": "list",
            "label": "Questions",
            "field": {
                "name": "question",
                "type": "group",
                "fields": [
                    {"name": "text", "type": "text", "label": "Question"},
                    {
                        "name": "answers",
                        "type": "list",
                        "label": "Answers",
                        "field": {
                            "name": "answer",
                            "type": "group",
                            "fields": [
                                {"name": "text", "type": "text", "label": "Answer"},
                                {"name": "correct", "type": "boolean", "label": "Correct"},
                            ],
                        },
                    },
                ],
            },
        },
        {"name": "passPercentage", "type": "number", "label": "Pass percentage", "default": 80},
        {"name": "checkLabel", "type": "text", "label": "Check button", "default": "Periksa"},
    ]
    return _zip(
        {
            "h5p.json": json.dumps(h5p_json, ensure_ascii=False, indent=2).encode(),
            "content/content.json": json.dumps(content, ensure_ascii=False, indent=2).encode(),
            f"{library_folder}/library.json": json.dumps(library, indent=2).encode(),
            f"{library_folder}/semantics.json": json.dumps(semantics, indent=2).encode(),
            f"{library_folder}/lentera-quiz.js": _sample("h5p/lentera-quiz.js"),
            f"{library_folder}/lentera-quiz.css": _sample("h5p/lentera-quiz.css"),
        }
    )


def scorm12_hostile(
    *,
    site_origin: str = "",
    course_id: int | None = None,
    lesson_id: int | None = None,
    other_lesson_id: int | None = None,
) -> bytes:
    """A SCORM 1.2 package whose SCO attacks the learner's session: it reads cookies and the
    parent's document, and POSTs to the site's enrollment, completion and commit APIs (the ids
    and the site's origin come as launch parameters, as an attacker who knows them would write
    them in). It records what it saw in cmi.suspend_data and on the page. For tests only."""
    parameters = [
        ("site", site_origin),
        ("course", course_id),
        ("lesson", lesson_id),
        ("other_lesson", other_lesson_id),
    ]
    query = "&".join(f"{name}={value}" for name, value in parameters if value not in ("", None))
    files = {
        "sco/index.html": _sample("hostile/index.html"),
        "sco/probe.js": _sample("hostile/probe.js"),
        "shared/sample.css": _sample("shared/sample.css"),
    }
    manifest = _scorm12_manifest(
        identifier="lentera-sample-hostile",
        title="Paket uji keamanan",
        href="sco/index.html",
        files=list(files),
        mastery_score=None,
        parameters=f"?{query}" if query else "",
    )
    return _zip({"imsmanifest.xml": manifest, **files})
