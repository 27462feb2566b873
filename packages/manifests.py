"""Reads what a checked package contains: a SCORM manifest (imsmanifest.xml) or an H5P h5p.json.

The result is `Package.manifest` (the "parsed manifest" of the README's "Packages" section):
the launchable items in outline order with their launch files and thresholds, the activity tree
with its sequencing (SCORM 2004) and, for H5P, the main library. A package that cannot be played
is refused here with a reason an editor can act on: no manifest (or the manifest one folder too
deep), a launch file missing from the zip, a version Lentera does not play (SCORM 1.1, AICC,
cmi5, xAPI/Tin Can), no organization or no item to launch, XML that does not parse, items
nested more than `MAX_ITEM_DEPTH` levels deep or more than `MAX_ITEMS` of them.

SCORM versions, from `<schemaversion>` (or, when it is missing, from the ADL namespaces):
"1.2"; "2004 3rd Edition"; "2004 4th Edition". SCORM 2004 2nd Edition ("CAM 1.3") shares the
3rd edition's run-time data model and is played as such. The XML is untrusted and parsed with
defusedxml (no entity expansion, no external references); element and attribute names are
matched by their local name, as authoring tools spell the SCORM 1.2 namespaces many ways.
"""

import json
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from packages.validation import AICC_EXTENSIONS, CheckedArchive

MANIFEST = "imsmanifest.xml"
H5P_MANIFEST = "h5p.json"
H5P_CONTENT = "content/content.json"
# A manifest or h5p.json larger than this is not a description of a course.
MAX_MANIFEST_BYTES = 5 * 1024 * 1024
# How deep an organization's items may nest and how many it may have: SCORM content rarely
# nests more than 5 levels, and a course of more than a few hundred items is unusual. The limits
# keep a hostile manifest (thousands of nested <item> elements) from exhausting the parser.
MAX_ITEM_DEPTH = 20
MAX_ITEMS = 2000
XML_NAMESPACE = "{http://www.w3.org/XML/1998/namespace}"

VERSION_12 = "1.2"
VERSION_2004_3 = "2004 3rd Edition"
VERSION_2004_4 = "2004 4th Edition"
VERSION_H5P = "h5p"

# Other e-learning formats, by a file at the package's root: what to tell the editor.
_OTHER_FORMATS = (
    ("tincan.xml", "xAPI (Tin Can)"),
    ("cmi5.xml", "cmi5"),
)

_BOOLEAN_ATTRIBUTES = {
    "choice", "choiceExit", "flow", "forwardOnly", "useCurrentAttemptObjectiveInfo",
    "useCurrentAttemptProgressInfo", "satisfiedByMeasure", "readSatisfiedStatus",
    "readNormalizedMeasure", "writeSatisfiedStatus", "writeNormalizedMeasure",
    "rollupObjectiveSatisfied", "rollupProgressCompletion", "tracked",
    "completionSetByContent", "objectiveSetByContent", "reorderChildren",
    "preventActivation", "constrainChoice", "measureSatisfactionIfActive",
    "objectivesGlobalToSystem", "sharedDataGlobalToSystem", "completedByMeasure",
    "readCompletionStatus", "writeCompletionStatus", "readProgressMeasure",
    "writeProgressMeasure", "readRawScore", "writeRawScore", "readMinScore", "writeMinScore",
    "readMaxScore", "writeMaxScore",
}  # fmt: skip
_INTEGER_ATTRIBUTES = {"attemptLimit", "minimumCount", "selectCount"}
_DECIMAL_ATTRIBUTES = {
    "minimumPercent", "measureThreshold", "objectiveMeasureWeight", "minProgressMeasure",
    "progressWeight",
}  # fmt: skip
_RULE_KINDS = ("preConditionRule", "exitConditionRule", "postConditionRule")


@dataclass(frozen=True)
class ParsedPackage:
    """What a package is: its kind, version, title and the parsed manifest (a JSON object)."""

    kind: str
    schema_version: str
    title: str
    manifest: dict


def _refusal(message, code: str, **params) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def _local(tag) -> str:
    """An element's or attribute's name without its namespace."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, name: str) -> list:
    return [child for child in element if _local(child.tag) == name]


def _child(element, name: str):
    return next((child for child in element if _local(child.tag) == name), None)


def _text(element) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


def _attribute(element, name: str, default: str = "") -> str:
    """An attribute by local name, case-insensitively (adlcp:scormtype / adlcp:scormType)."""
    wanted = name.lower()
    for key, value in element.attrib.items():
        if _local(key).lower() == wanted:
            return value.strip()
    return default


def _decimal(value: str) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None


def _value(name: str, value: str):
    """An attribute's value as JSON: booleans and numbers where the schema says so."""
    value = value.strip()
    if name in _BOOLEAN_ATTRIBUTES:
        return value.lower() in ("true", "1")
    if name in _INTEGER_ATTRIBUTES:
        try:
            return int(value)
        except ValueError:
            return value
    if name in _DECIMAL_ATTRIBUTES:
        number = _decimal(value)
        return value if number is None else number
    return value


def _attributes(element) -> dict:
    return {_local(key): _value(_local(key), value) for key, value in element.attrib.items()}


def _read_manifest_bytes(checked: CheckedArchive, name: str) -> bytes:
    info = checked.members[name]
    if info.file_size > MAX_MANIFEST_BYTES:
        raise _refusal(
            _("%(name)s is larger than %(limit)d MB; it cannot be a package's manifest."),
            "manifest_too_big",
            name=name,
            limit=MAX_MANIFEST_BYTES // (1024 * 1024),
        )
    return checked.read(name)


# --- Which kind of package -------------------------------------------------------------------


def package_parse(checked: CheckedArchive) -> ParsedPackage:
    """The package's kind, version, title and parsed manifest, or a refusal saying why not."""
    if checked.has(MANIFEST):
        return _scorm_parse(checked)
    if checked.has(H5P_MANIFEST):
        return _h5p_parse(checked)
    names = list(checked.members)
    roots = {name.lower() for name in names if "/" not in name}
    for file_name, format_name in _OTHER_FORMATS:
        if file_name in roots:
            raise _refusal(
                _(
                    "This is an %(format)s package. Lentera plays SCORM 1.2, SCORM 2004 and "
                    "H5P; publish the course again in one of those."
                ),
                "unsupported_format",
                format=format_name,
            )
    if any(posixpath.splitext(name)[1][1:].lower() in AICC_EXTENSIONS for name in checked.left_out):
        raise _refusal(
            _(
                "This is an %(format)s package. Lentera plays SCORM 1.2, SCORM 2004 and H5P; "
                "publish the course again in one of those."
            ),
            "unsupported_format",
            format="AICC",
        )
    nested = sorted(
        (name for name in names if posixpath.basename(name) in (MANIFEST, H5P_MANIFEST)),
        key=lambda name: name.count("/"),
    )
    if nested:
        raise _refusal(
            _(
                "The manifest is inside the folder %(folder)s. Zip the contents of that folder "
                "(so that %(file)s is at the top of the zip), not the folder itself."
            ),
            "manifest_in_folder",
            folder=posixpath.dirname(nested[0]) + "/",
            file=posixpath.basename(nested[0]),
        )
    raise _refusal(
        _(
            "The package has no imsmanifest.xml (SCORM) or h5p.json (H5P) at the top of the "
            "zip, so Lentera cannot tell what it contains."
        ),
        "no_manifest",
    )


# --- SCORM -----------------------------------------------------------------------------------


def _xml_parse(data: bytes):
    try:
        return SafeElementTree.fromstring(data)
    except DefusedXmlException as error:
        raise _refusal(
            _("imsmanifest.xml uses XML entities or external references, which are not allowed."),
            "unsafe_xml",
        ) from error
    except SafeElementTree.ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        raise _refusal(
            _("imsmanifest.xml is not valid XML (line %(line)d, column %(column)d)."),
            "malformed_xml",
            line=line,
            column=column,
        ) from error


def _namespaces(data: bytes) -> str:
    """The namespace declarations' text (for telling versions apart without <schemaversion>)."""
    declared = re.findall(rb"xmlns(?::\w+)?\s*=\s*[\"']([^\"']*)[\"']", data[:20000])
    return " ".join(match.decode("utf-8", "replace") for match in declared)


def _scorm_version(root, data: bytes) -> str:
    metadata = _child(root, "metadata")
    declared = _text(_child(metadata, "schemaversion")) if metadata is not None else ""
    normalized = " ".join(declared.lower().split())
    if normalized == "1.2":
        return VERSION_12
    if normalized in ("2004 4th edition",):
        return VERSION_2004_4
    if normalized in ("2004 3rd edition", "2004 2nd edition", "cam 1.3"):
        return VERSION_2004_3
    if normalized:
        raise _refusal(
            _(
                "This package declares the version “%(version)s”, which Lentera does not play. "
                "Lentera plays SCORM 1.2 and SCORM 2004 (3rd and 4th edition) and H5P."
            ),
            "unsupported_version",
            version=declared[:60],
        )
    namespaces = _namespaces(data).lower()
    if "adlcp_rootv1p2" in namespaces:
        return VERSION_12
    if "adlcp_v1p3" in namespaces:
        return VERSION_2004_4 if "adlseq_v1p3" in namespaces else VERSION_2004_3
    raise _refusal(
        _(
            "imsmanifest.xml does not say which SCORM version it is (no <schemaversion>), and "
            "it is neither SCORM 1.2 nor SCORM 2004. Lentera plays SCORM 1.2, SCORM 2004 (3rd "
            "and 4th edition) and H5P."
        ),
        "unsupported_version",
    )


def _xml_base(element) -> str:
    return element.attrib.get(f"{XML_NAMESPACE}base", "").strip()


def _joined_base(*bases: str) -> str:
    joined = ""
    for base in bases:
        if base:
            joined += base if base.endswith("/") else base + "/"
    return joined


def _with_parameters(href: str, parameters: str) -> str:
    """The item's parameters added to its resource's href (SCORM CAM, "parameters"): a leading
    "?" or "&" is dropped and the rest joins the query with "?" or "&"; a "#fragment" is used
    only if the href has none."""
    parameters = parameters.strip()
    if not parameters:
        return href
    base, hash_mark, fragment = href.partition("#")
    if parameters.startswith("#"):
        return href if hash_mark else href + parameters
    parameters = parameters.lstrip("?&")
    if not parameters:
        return href
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}{parameters}{hash_mark}{fragment}"


# What a launch URL's path keeps unescaped: RFC 3986's pchar without ":", so that no segment
# (above all the first) can read as a scheme ("javascript:...", "x:y/index.html") when the player
# resolves the launch against the package's files URL.
_LAUNCH_PATH_SAFE = "/!$&'()*+,;=@-._~"


def _is_external(reference: str) -> bool:
    """Whether a reference (an href or an xml:base) names a scheme, a host or an absolute path."""
    split = urlsplit(reference)
    return bool(split.scheme or split.netloc or reference.startswith(("/", "\\")))


def _launch(checked: CheckedArchive, *, href: str, base: str, parameters: str, item: str) -> str:
    """The item's launch URL relative to the package, checked to be a file of the zip.

    Its path is percent-encoded, ":" included, and never starts with "/": resolved against the
    package's files URL it stays inside the package, never a scheme ("javascript:") nor another
    host ("//")."""
    split = urlsplit(href)
    if _is_external(href) or _is_external(base):
        raise _refusal(
            _(
                "The item “%(item)s” launches %(href)s, a page outside the package. Packages "
                "must contain every page they launch."
            ),
            "external_launch",
            item=item,
            href=(href if _is_external(href) else base + href)[:200],
        )
    path = posixpath.normpath(unquote(base + split.path))
    if path.startswith(("../", "/")) or path in ("..", "."):
        raise _refusal(
            _("The item “%(item)s” launches %(href)s, outside the package."),
            "external_launch",
            item=item,
            href=href[:200],
        )
    if path in checked.left_out:
        raise _refusal(
            _(
                "The item “%(item)s” launches %(path)s, which browsers no longer run (Flash, "
                "Java or an archive). Publish the course again as HTML5."
            ),
            "launch_unplayable",
            item=item,
            path=path[:200],
        )
    if not checked.has(path):
        raise _refusal(
            _(
                "The launch file of the item “%(item)s”, %(path)s, is not in the package. "
                "Check that the zip contains every file the manifest lists."
            ),
            "launch_missing",
            item=item,
            path=path[:200],
        )
    launch = quote(path, safe=_LAUNCH_PATH_SAFE)
    if split.query:
        launch += "?" + split.query
    if split.fragment:
        launch += "#" + split.fragment
    return _with_parameters(launch, parameters)


def _objective(element) -> dict:
    objective = _attributes(element)
    measure = _child(element, "minNormalizedMeasure")
    if measure is not None:
        objective["minNormalizedMeasure"] = _decimal(_text(measure))
    map_infos = [_attributes(info) for info in _children(element, "mapInfo")]
    if map_infos:
        objective["mapInfo"] = map_infos
    return objective


def _rule_conditions(element) -> dict:
    conditions_element = _child(element, "ruleConditions")
    if conditions_element is None:
        conditions_element = _child(element, "rollupConditions")
    if conditions_element is None:
        return {"conditionCombination": "all", "conditions": []}
    is_rollup = _local(conditions_element.tag) == "rollupConditions"
    return {
        "conditionCombination": _attribute(
            conditions_element, "conditionCombination", "any" if is_rollup else "all"
        ),
        "conditions": [
            _attributes(condition)
            for condition in conditions_element
            if _local(condition.tag) in ("ruleCondition", "rollupCondition")
        ],
    }


def sequencing_parse(element) -> dict:
    """One imsss:sequencing element as JSON (IMS Simple Sequencing 1.0 with ADL's extensions),
    in the element and attribute names of the specification."""
    sequencing: dict = {}
    if element.attrib.get("ID"):
        sequencing["id"] = element.attrib["ID"]
    if element.attrib.get("IDRef"):
        sequencing["idRef"] = element.attrib["IDRef"]
    for child in element:
        name = _local(child.tag)
        if name == "sequencingRules":
            rules = {}
            for kind in _RULE_KINDS:
                found = [
                    {
                        **_rule_conditions(rule),
                        "action": _attribute(_child(rule, "ruleAction"), "action")
                        if _child(rule, "ruleAction") is not None
                        else "",
                    }
                    for rule in _children(child, kind)
                ]
                if found:
                    rules[f"{kind}s"] = found
            sequencing["sequencingRules"] = rules
        elif name == "rollupRules":
            rollup = _attributes(child)
            rollup["rules"] = [
                {
                    **_attributes(rule),
                    **_rule_conditions(rule),
                    "action": _attribute(_child(rule, "rollupAction"), "action")
                    if _child(rule, "rollupAction") is not None
                    else "",
                }
                for rule in _children(child, "rollupRule")
            ]
            sequencing["rollupRules"] = rollup
        elif name == "objectives":
            namespace = "adlseqObjectives" if "adlseq" in child.tag else "objectives"
            if namespace == "adlseqObjectives":
                sequencing[namespace] = [
                    {**_attributes(objective), "mapInfo": [_attributes(info) for info in objective]}
                    for objective in _children(child, "objective")
                ]
                continue
            primary = _child(child, "primaryObjective")
            sequencing["objectives"] = {
                "primary": _objective(primary) if primary is not None else None,
                "objectives": [
                    _objective(objective) for objective in _children(child, "objective")
                ],
            }
        elif name == "auxiliaryResources":
            sequencing[name] = [_attributes(resource) for resource in child]
        else:
            # controlMode, limitConditions, randomizationControls, deliveryControls,
            # adlseq:constrainedChoiceConsiderations, adlseq:rollupConsiderations: attributes only.
            sequencing[name] = _attributes(child)
    return sequencing


def _merged(referenced: dict, local: dict) -> dict:
    """A sequencing that names a collection entry (IDRef): the entry's elements, overridden
    by those given locally (SCORM CAM 4th ed., "sequencingCollection")."""
    merged = {key: value for key, value in referenced.items() if key != "id"}
    for key, value in local.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def _scaled_passing_score(sequencing: dict | None) -> float | None:
    objectives = (sequencing or {}).get("objectives") or {}
    primary = objectives.get("primary") or {}
    if not primary.get("satisfiedByMeasure"):
        return None
    measure = primary.get("minNormalizedMeasure")
    return 1.0 if measure is None else measure


def _completion_threshold(item, version: str) -> dict:
    element = _child(item, "completionThreshold")
    if element is None:
        return {"completion_threshold": None}
    if version == VERSION_2004_4 or element.attrib:
        by_measure = _attribute(element, "completedByMeasure").lower() in ("true", "1")
        measure = _decimal(_attribute(element, "minProgressMeasure", "1.0"))
        return {
            # Used to decide completion only when the package asks for it (completedByMeasure):
            # otherwise the content sets cmi.completion_status itself.
            "completion_threshold": measure if by_measure else None,
            "completed_by_measure": by_measure,
            "progress_weight": _decimal(_attribute(element, "progressWeight", "1.0")),
        }
    return {"completion_threshold": _decimal(_text(element))}


def _items_check(organization) -> None:
    """Refuses an organization whose items nest deeper than `MAX_ITEM_DEPTH` levels or number
    more than `MAX_ITEMS`, before the (recursive) walk of its tree; iterative itself, so no
    manifest can exhaust the stack here."""
    count = 0
    pending = [(child, 1) for child in _children(organization, "item")]
    while pending:
        element, depth = pending.pop()
        if depth > MAX_ITEM_DEPTH:
            raise _refusal(
                _(
                    "The items of imsmanifest.xml are nested more than %(limit)d levels deep; "
                    "at most %(limit)d levels are allowed."
                ),
                "items_too_deep",
                limit=MAX_ITEM_DEPTH,
            )
        count += 1
        if count > MAX_ITEMS:
            raise _refusal(
                _(
                    "imsmanifest.xml lists more than %(limit)d items; at most %(limit)d are "
                    "allowed."
                ),
                "too_many_items",
                limit=MAX_ITEMS,
            )
        pending.extend((child, depth + 1) for child in _children(element, "item"))


def _scorm_parse(checked: CheckedArchive) -> ParsedPackage:
    data = _read_manifest_bytes(checked, MANIFEST)
    root = _xml_parse(data)
    if _local(root.tag) != "manifest":
        raise _refusal(
            _("imsmanifest.xml does not describe a package (its first element is not <manifest>)."),
            "malformed_xml",
        )
    version = _scorm_version(root, data)
    is_12 = version == VERSION_12

    resources_element = _child(root, "resources")
    resources_base = _joined_base(
        _xml_base(root), _xml_base(resources_element) if resources_element is not None else ""
    )
    resources = {
        resource.attrib.get("identifier", ""): resource
        for resource in (
            _children(resources_element, "resource") if resources_element is not None else []
        )
    }

    collection_element = _child(root, "sequencingCollection")
    collection = {}
    if collection_element is not None and not is_12:
        for element in _children(collection_element, "sequencing"):
            parsed = sequencing_parse(element)
            if parsed.get("id"):
                collection[parsed["id"]] = parsed

    organizations = _child(root, "organizations")
    candidates = _children(organizations, "organization") if organizations is not None else []
    if not candidates:
        raise _refusal(
            _("imsmanifest.xml has no organization: it does not say what learners should see."),
            "no_organization",
        )
    default = organizations.attrib.get("default", "").strip()
    organization = next(
        (org for org in candidates if org.attrib.get("identifier", "").strip() == default),
        candidates[0],
    )

    _items_check(organization)
    items: list[dict] = []

    def sequencing_of(element) -> dict | None:
        if is_12:
            return None
        found = _child(element, "sequencing")
        if found is None:
            return None
        parsed = sequencing_parse(found)
        reference = parsed.get("idRef")
        if reference:
            if reference not in collection:
                raise _refusal(
                    _(
                        "The sequencing of “%(item)s” refers to %(reference)s, which the "
                        "manifest's sequencing collection does not have."
                    ),
                    "sequencing_missing",
                    item=element.attrib.get("identifier", ""),
                    reference=reference,
                )
            parsed = _merged(collection[reference], parsed)
        return parsed

    def walk(element, parent: str | None, depth: int) -> dict:
        identifier = element.attrib.get("identifier", "").strip()
        title = _text(_child(element, "title")) or identifier
        sequencing = sequencing_of(element)
        node = {"identifier": identifier, "title": title, "sequencing": sequencing}
        reference = element.attrib.get("identifierref", "").strip()
        if reference and depth > 0:
            resource = resources.get(reference)
            if resource is None:
                raise _refusal(
                    _(
                        "The item “%(item)s” refers to the resource %(resource)s, which the "
                        "manifest does not list."
                    ),
                    "resource_missing",
                    item=title,
                    resource=reference,
                )
            href = resource.attrib.get("href", "").strip()
            if not href:
                raise _refusal(
                    _("The resource of the item “%(item)s” names no file to launch."),
                    "launch_missing",
                    item=title,
                )
            launch = _launch(
                checked,
                href=href,
                base=resources_base + (_xml_base(resource) and _joined_base(_xml_base(resource))),
                parameters=element.attrib.get("parameters", ""),
                item=title,
            )
            scorm_type = (_attribute(resource, "scormType") or "sco").lower()
            entry = {
                "identifier": identifier,
                "title": title,
                "parent": parent,
                "depth": depth - 1,
                "launch": launch,
                "scorm_type": "asset" if scorm_type == "asset" else "sco",
                "mastery_score": None,
                "data_from_lms": "",
                "max_time_allowed": "",
                "time_limit_action": "",
                "completion_threshold": None,
                "scaled_passing_score": None,
                "sequencing": sequencing,
            }
            if is_12:
                entry.update(
                    mastery_score=_decimal(_text(_child(element, "masteryscore"))),
                    data_from_lms=_text(_child(element, "datafromlms")),
                    max_time_allowed=_text(_child(element, "maxtimeallowed")),
                    time_limit_action=_text(_child(element, "timelimitaction")),
                )
                prerequisites = _text(_child(element, "prerequisites"))
                if prerequisites:
                    entry["prerequisites"] = prerequisites
            else:
                limits = (sequencing or {}).get("limitConditions") or {}
                entry.update(
                    data_from_lms=_text(_child(element, "dataFromLMS")),
                    max_time_allowed=str(limits.get("attemptAbsoluteDurationLimit", "")),
                    time_limit_action=_text(_child(element, "timeLimitAction")),
                    scaled_passing_score=_scaled_passing_score(sequencing),
                    **_completion_threshold(element, version),
                )
            items.append(entry)
        node["children"] = [
            walk(child, identifier if depth > 0 else None, depth + 1)
            for child in _children(element, "item")
        ]
        if reference and depth > 0:
            node["launch"] = items[-1]["launch"] if not node["children"] else None
        return node

    # The organization is the root of the activity tree: its own sequencing (controlMode...)
    # governs its children.
    tree = walk(organization, None, 0)
    if not items:
        raise _refusal(
            _("The package's organization has no item that launches anything."),
            "no_items",
        )
    title = tree["title"] if tree["title"] != tree["identifier"] else items[0]["title"]
    manifest = {
        "version": version,
        "title": title,
        "organization": tree["identifier"],
        "items": items,
        "structure": [tree],
        "sequencing_collection": collection or None,
        "h5p": None,
    }
    return ParsedPackage(
        kind="scorm12" if is_12 else "scorm2004",
        schema_version=version,
        title=title[:255],
        manifest=manifest,
    )


# --- H5P -------------------------------------------------------------------------------------


def _json_file(checked: CheckedArchive, name: str) -> dict:
    try:
        data = json.loads(_read_manifest_bytes(checked, name).decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        # RecursionError: arrays or objects nested thousands deep, which the decoder refuses.
        raise _refusal(
            _("%(name)s in the H5P file is not valid JSON."), "malformed_json", name=name
        ) from error
    if not isinstance(data, dict):
        raise _refusal(
            _("%(name)s in the H5P file is not valid JSON."), "malformed_json", name=name
        )
    return data


def _library_folder(dependency: dict) -> str | None:
    try:
        return (
            f"{dependency['machineName']}-{int(dependency['majorVersion'])}."
            f"{int(dependency['minorVersion'])}"
        )
    except (KeyError, TypeError, ValueError):
        return None


def _h5p_parse(checked: CheckedArchive) -> ParsedPackage:
    data = _json_file(checked, H5P_MANIFEST)
    title = str(data.get("title") or "").strip()
    main_library = str(data.get("mainLibrary") or "").strip()
    dependencies = data.get("preloadedDependencies")
    if not main_library or not isinstance(dependencies, list):
        raise _refusal(
            _("h5p.json does not name the H5P content type (mainLibrary) and its libraries."),
            "h5p_incomplete",
        )
    main = next(
        (
            dependency
            for dependency in dependencies
            if isinstance(dependency, dict) and dependency.get("machineName") == main_library
        ),
        None,
    )
    if main is None or _library_folder(main) is None:
        raise _refusal(
            _("h5p.json does not list the version of its content type %(library)s."),
            "h5p_incomplete",
            library=main_library[:100],
        )
    for dependency in dependencies:
        folder = _library_folder(dependency) if isinstance(dependency, dict) else None
        if folder is None or not checked.has(f"{folder}/library.json"):
            raise _refusal(
                _(
                    "The H5P file does not contain the library %(library)s. Download it again "
                    "from the H5P editor with its libraries included."
                ),
                "h5p_library_missing",
                library=folder or str(dependency)[:100],
            )
    if not checked.has(H5P_CONTENT):
        raise _refusal(
            _("The H5P file has no content (content/content.json is missing)."),
            "h5p_content_missing",
        )
    _json_file(checked, H5P_CONTENT)
    version = f"{main_library} {main['majorVersion']}.{main['minorVersion']}"
    title = title or main_library
    embed_types = data.get("embedTypes")
    manifest = {
        "version": VERSION_H5P,
        "title": title,
        "organization": "",
        "items": [
            {
                "identifier": "h5p",
                "title": title,
                "parent": None,
                "depth": 0,
                "launch": "",
                "scorm_type": "sco",
                "mastery_score": None,
                "data_from_lms": "",
                "max_time_allowed": "",
                "time_limit_action": "",
                "completion_threshold": None,
                "scaled_passing_score": None,
                "sequencing": None,
            }
        ],
        "structure": [],
        "sequencing_collection": None,
        "h5p": {
            "main_library": version,
            "title": title,
            "embed_types": [str(kind) for kind in embed_types]
            if isinstance(embed_types, list)
            else [],
        },
    }
    return ParsedPackage(
        kind="h5p", schema_version=version[:40], title=title[:255], manifest=manifest
    )
