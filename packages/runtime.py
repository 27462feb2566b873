"""The runtime data a package writes, checked against its standard before anything is stored.

The player (scorm-again in the package origin's page) sends the SCO's data model in
scorm-again's nested JSON commit form (`renderCommitCMI`, "json" format): either the whole
render, `{"cmi": {...}, "adl": {...}}`, or only the `cmi` object. Collections (objectives,
interactions, comments, correct responses) come as objects keyed by index (`{"0": {...}}`),
as lists, or as `{"childArray": [...]}`; they are stored as lists.

What a commit may hold, per standard:

- An element the standard does not define is refused (`invalid_cmi`, the element named).
- A value of the wrong type, outside its vocabulary or range, or longer than the standard's
  limit is refused the same way; the whole commit is refused, nothing of it is stored.
- Elements the LMS owns (cmi.core.student_id, credit, entry, lesson_mode, total_time,
  launch_data, cmi.student_data.*, cmi.learner_id, completion_threshold, ...) are dropped in
  silence: scorm-again includes them in every full commit, and the LMS computes or provides
  them itself (total_time from the session times, the learner from the account).
- An empty string is "not set", as scorm-again renders an element the SCO never wrote.

Limits follow the standards: SCORM 1.2 RTE 3.4 (cmi.comments CMIString4096,
lesson_location CMIString255, scores CMIDecimal 0-100, session_time CMITimespan
HHHH:MM:SS.SS) and SCORM 2004 4th Edition RTE 4.2 (location 1000 characters, suspend_data
64000, interaction ids long identifiers of 4000, learner responses per type). SCORM 1.2's
sizes are SPMs, "smallest permitted maximums": the least an LMS must store, not the most it
may. Where the player (scorm-again 3.4) accepts more than the SPM, so does this module, or a
SCO would get "true" from LMSSetValue and then lose its whole commit here: 1.2
cmi.suspend_data up to 64000 characters (Storyline and Captivate write more than 4096),
interaction student_response and correct_responses pattern up to 4096 (scorm-again sets no
length; the SPM is 255, and free-text answers are longer).

H5P reports through xAPI statements; `xapi_statement_clean` keeps what counts (verb, result)
of statements about the content itself, not its sub-contents.

Pure functions: no database, so they are tested on their own and reused by the services.
"""

import json
import math
import re
from dataclasses import dataclass
from datetime import timedelta

from django.utils.translation import gettext as _

from learners.errors import LearningError

SCORM12 = "scorm12"
SCORM2004 = "scorm2004"

# scorm-again renders the LMS-owned elements too; none of them is taken from the client.
COLLECTION_MAX = 1000  # entries of one collection (SCORM 2004's SPM for interactions is 250)
# SCORM 1.2 RTE 3.4's sizes are SPMs (the least an LMS must store): where scorm-again, the
# player, accepts more, refusing here would lose a SCO's commit it was told had succeeded.
SUSPEND_DATA12_MAX = 64000  # cmi.suspend_data: SPM CMIString4096; scorm-again 3.4 takes 64000
FEEDBACK12_MAX = 4096  # interactions' student_response / pattern: SPM CMIFeedback 255
H5P_STATE_MAX = 65536  # characters of H5P's user state (the content's own resume data)
XAPI_STATEMENT_MAX = 65536  # characters of one xAPI statement, serialized


class InvalidRuntimeData(LearningError):
    """A commit the standard refuses; `element` names the data model element at fault."""

    status = 400

    def __init__(self, message: str, *, element: str, code: str = "invalid_cmi"):
        super().__init__(message, code=code)
        self.element = element


def _refuse(element: str, message: str, code: str = "invalid_cmi"):
    raise InvalidRuntimeData(message, element=element, code=code)


# -- value types ------------------------------------------------------------------------------


class ReadOnly:
    """An element the LMS owns: dropped from the commit, whatever its value."""


READ_ONLY = ReadOnly()


def _text(value, element: str) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        _refuse(element, _("%(element)s has the wrong type.") % {"element": element})
    if isinstance(value, int | float):
        if not math.isfinite(value):
            _refuse(element, _("%(element)s has the wrong type.") % {"element": element})
        return number_text(value)
    return value


def number_text(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def string(limit: int):
    def check(value, element):
        value = _text(value, element)
        if len(value) > limit:
            _refuse(
                element,
                _("%(element)s is too long (at most %(limit)s characters).")
                % {"element": element, "limit": limit},
            )
        return value

    return check


def vocabulary(*words: str, blank: bool = True):
    allowed = set(words) | ({""} if blank else set())

    def check(value, element):
        value = _text(value, element)
        if value not in allowed:
            _refuse(
                element,
                _("%(element)s is not one of the allowed values.") % {"element": element},
            )
        return value

    return check


_DECIMAL = re.compile(r"^-?(\d{1,10})?(\.\d{1,18})?$")


def decimal(low: float | None = None, high: float | None = None, *, integer: bool = False):
    def check(value, element):
        value = _text(value, element).strip()
        if value == "":
            return ""
        pattern = r"^-?\d{1,10}$" if integer else _DECIMAL.pattern
        if not re.match(pattern, value) or value in {"-", ".", "-."}:
            _refuse(element, _("%(element)s must be a number.") % {"element": element})
        number = float(value)
        if low is not None and high is None and number < low:
            _refuse(
                element,
                _("%(element)s must be a number of at least %(low)s.")
                % {"element": element, "low": number_text(low)},
            )
        if (low is not None and number < low) or (high is not None and number > high):
            _refuse(
                element,
                _("%(element)s must be a number between %(low)s and %(high)s.")
                % {"element": element, "low": number_text(low), "high": number_text(high)},
            )
        return value

    return check


_TIMESPAN12 = re.compile(r"^(\d{2,4}):([0-5]\d):([0-5]\d)(\.\d{1,2})?$")
# scorm-again's own renderer writes hours beyond four digits for very long totals.
_TIMESPAN12_LENIENT = re.compile(r"^(\d+):([0-5]\d):([0-5]\d)(\.\d{1,2})?$")
_TIME12 = re.compile(r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,2})?$")
_DURATION = re.compile(
    r"^P(?!$)(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?"
    r"(?:(\d+(?:\.\d+)?)D)?(?:T(?=\d)(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?"
    r"(?:(\d+(?:\.\d{1,2})?)S)?)?$"
)
_TIME2004 = re.compile(
    r"^(19[7-9]\d|[2-9]\d{3})(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3])"
    r"(:[0-5]\d(:[0-5]\d(\.\d{1,6})?)?)?(Z|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)?)?)?)?$"
)


def _pattern(regex: re.Pattern, message):
    def check(value, element):
        value = _text(value, element)
        if value and not regex.match(value):
            _refuse(element, message() % {"element": element})
        return value

    return check


def timespan12():
    return _pattern(
        _TIMESPAN12,
        lambda: _("%(element)s must be a time span of the form HHHH:MM:SS.SS."),
    )


def time12():
    return _pattern(_TIME12, lambda: _("%(element)s must be a time of the form HH:MM:SS."))


def duration():
    return _pattern(
        _DURATION,
        lambda: _("%(element)s must be an ISO 8601 duration, such as PT1H30M5S."),
    )


def time2004():
    return _pattern(
        _TIME2004,
        lambda: _("%(element)s must be an ISO 8601 date and time."),
    )


_IDENTIFIER12 = re.compile(r"^[\x21-\x7e\s]{0,255}$")


def identifier12():
    def check(value, element):
        value = string(255)(value, element)
        if not _IDENTIFIER12.match(value):
            _refuse(
                element,
                _("%(element)s must be an identifier (letters, digits and punctuation).")
                % {"element": element},
            )
        return value

    return check


def long_identifier(limit: int = 4000):
    def check(value, element):
        value = string(limit)(value, element)
        if value and not value.strip():
            _refuse(
                element,
                _("%(element)s must be an identifier (letters, digits and punctuation).")
                % {"element": element},
            )
        return value

    return check


_LANG_PREFIX = re.compile(r"^\{lang=[A-Za-z]{1,8}(-[A-Za-z0-9-]{1,8})*\}")


def lang_string(limit: int):
    """A localized string: an optional {lang=xx} prefix, then at most `limit` characters."""

    def check(value, element):
        value = _text(value, element)
        text = _LANG_PREFIX.sub("", value, count=1)
        string(limit)(text, element)
        return value

    return check


_INTERACTION_TYPES12 = (
    "true-false",
    "choice",
    "fill-in",
    "matching",
    "performance",
    "sequencing",
    "likert",
    "numeric",
)
_INTERACTION_TYPES2004 = (*_INTERACTION_TYPES12, "long-fill-in", "other")
_RESULT_WORDS12 = ("correct", "wrong", "unanticipated", "neutral")
_RESULT_WORDS2004 = ("correct", "incorrect", "unanticipated", "neutral")


def interaction_result(words: tuple[str, ...]):
    def check(value, element):
        value = _text(value, element)
        if value in words or value == "" or re.match(r"^-?\d{1,10}(\.\d{1,18})?$", value):
            return value
        _refuse(element, _("%(element)s is not one of the allowed values.") % {"element": element})

    return check


# SCORM 2004 4th Edition RTE 4.1.6: what a learner response may hold, per interaction type:
# (separator, most parts, longest part). Text types have one part.
_RESPONSE_LIMITS = {
    "true-false": None,
    "choice": ("[,]", 36, 4000),
    "fill-in": ("[,]", 10, 250 + 30),  # each a localized string of 250 (plus its {lang=} tag)
    "long-fill-in": ("", 1, 4000 + 30),
    "likert": ("", 1, 4000),
    "matching": ("[,]", 36, 8001),
    "performance": ("[,]", 250, 4251),
    "sequencing": ("[,]", 36, 4000),
    "numeric": None,
    "other": ("", 1, 4000),
}


def learner_response(value, element: str, interaction_type: str) -> str:
    value = _text(value, element)
    if value == "":
        return value
    if interaction_type == "true-false":
        return vocabulary("true", "false")(value, element)
    if interaction_type == "numeric":
        return decimal()(value, element)
    separator, most, longest = _RESPONSE_LIMITS.get(interaction_type) or ("", 1, 4000)
    parts = value.split(separator) if separator else [value]
    if len(parts) > most:
        _refuse(
            element,
            _("%(element)s has too many entries (at most %(limit)s).")
            % {"element": element, "limit": most},
        )
    for part in parts:
        string(longest)(part, element)
    return value


# -- the data models ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Collection:
    """An indexed collection (cmi.objectives.n...): each entry follows `schema`."""

    schema: dict


def _score12():
    return {"raw": decimal(0, 100), "min": decimal(0, 100), "max": decimal(0, 100)}


_LESSON_STATUS = ("passed", "completed", "failed", "incomplete", "browsed", "not attempted")

SCORM12_SCHEMA = {
    "core": {
        "student_id": READ_ONLY,
        "student_name": READ_ONLY,
        "lesson_location": string(255),
        "credit": READ_ONLY,
        "lesson_status": vocabulary(*_LESSON_STATUS),
        "entry": READ_ONLY,
        "score": _score12(),
        "total_time": READ_ONLY,
        "lesson_mode": READ_ONLY,
        "exit": vocabulary("time-out", "suspend", "logout"),
        "session_time": timespan12(),
    },
    # CMIString4096 is an SPM; scorm-again accepts 64000 in 1.2 (as 2004's SPM): so do we.
    "suspend_data": string(SUSPEND_DATA12_MAX),
    "launch_data": READ_ONLY,
    "comments": string(4096),
    "comments_from_lms": READ_ONLY,
    "objectives": Collection(
        {"id": identifier12(), "score": _score12(), "status": vocabulary(*_LESSON_STATUS)}
    ),
    "student_data": READ_ONLY,
    "student_preference": {
        "audio": decimal(-1, 100, integer=True),
        "language": string(255),
        "speed": decimal(-100, 100, integer=True),
        "text": decimal(-1, 1, integer=True),
    },
    "interactions": Collection(
        {
            "id": identifier12(),
            "objectives": Collection({"id": identifier12()}),
            "time": time12(),
            "type": vocabulary(*_INTERACTION_TYPES12),
            # CMIFeedback's 255 is an SPM; scorm-again sets no length for these two.
            "correct_responses": Collection({"pattern": string(FEEDBACK12_MAX)}),
            "weighting": decimal(),
            "student_response": string(FEEDBACK12_MAX),
            "result": interaction_result(_RESULT_WORDS12),
            "latency": timespan12(),
        }
    ),
}


def _score2004():
    return {"scaled": decimal(-1, 1), "raw": decimal(), "min": decimal(), "max": decimal()}


_COMPLETION = ("completed", "incomplete", "not attempted", "unknown")
_SUCCESS = ("passed", "failed", "unknown")

SCORM2004_SCHEMA = {
    "comments_from_learner": Collection(
        {"comment": lang_string(4000), "location": string(250), "timestamp": time2004()}
    ),
    "comments_from_lms": READ_ONLY,
    "completion_status": vocabulary(*_COMPLETION),
    "completion_threshold": READ_ONLY,
    "credit": READ_ONLY,
    "entry": READ_ONLY,
    "exit": vocabulary("time-out", "suspend", "logout", "normal"),
    "interactions": Collection(
        {
            "id": long_identifier(),
            "type": vocabulary(*_INTERACTION_TYPES2004),
            "objectives": Collection({"id": long_identifier()}),
            "timestamp": time2004(),
            "correct_responses": Collection({"pattern": string(64000)}),
            "weighting": decimal(),
            "learner_response": "learner_response",  # checked against the entry's type
            "result": interaction_result(_RESULT_WORDS2004),
            "latency": duration(),
            "description": lang_string(250),
        }
    ),
    "launch_data": READ_ONLY,
    "learner_id": READ_ONLY,
    "learner_name": READ_ONLY,
    "learner_preference": {
        "audio_level": decimal(0),
        "language": string(250),
        "delivery_speed": decimal(0),
        "audio_captioning": vocabulary("-1", "0", "1"),
    },
    "location": string(1000),
    "max_time_allowed": READ_ONLY,
    "mode": READ_ONLY,
    "objectives": Collection(
        {
            "id": long_identifier(),
            "score": _score2004(),
            "success_status": vocabulary(*_SUCCESS),
            "completion_status": vocabulary(*_COMPLETION),
            "progress_measure": decimal(0, 1),
            "description": lang_string(250),
        }
    ),
    "progress_measure": decimal(0, 1),
    "scaled_passing_score": READ_ONLY,
    "score": _score2004(),
    "session_time": duration(),
    "success_status": vocabulary(*_SUCCESS),
    "suspend_data": string(64000),
    "time_limit_action": READ_ONLY,
    "total_time": READ_ONLY,
}

ADL_SCHEMA = {
    # adl.data (4th Edition shared data): the LMS sets each store's id from the manifest.
    "data": Collection({"id": READ_ONLY, "store": string(64000)}),
    # adl.nav: navigation requests, acted on by the runtime in the browser, never stored.
    "nav": READ_ONLY,
}


def _entries(value, element: str) -> list:
    """A collection as a list, from any of scorm-again's renderings."""
    if isinstance(value, dict) and set(value) == {"childArray"}:
        value = value["childArray"]
    if isinstance(value, list):
        entries = value
    elif isinstance(value, dict):
        if not all(isinstance(key, str) and key.isdigit() for key in value):
            bad = next(key for key in value if not (isinstance(key, str) and key.isdigit()))
            _unknown(f"{element}.{bad}")
        indexes = sorted(int(key) for key in value)
        if indexes != list(range(len(indexes))):
            _refuse(
                element,
                _("%(element)s must be numbered from 0 without gaps.") % {"element": element},
            )
        entries = [value[str(index)] for index in indexes]
    else:
        _refuse(element, _("%(element)s has the wrong type.") % {"element": element})
    if len(entries) > COLLECTION_MAX:
        _refuse(
            element,
            _("%(element)s has too many entries (at most %(limit)s).")
            % {"element": element, "limit": COLLECTION_MAX},
        )
    return entries


def _unknown(element: str):
    _refuse(
        element,
        _("The package wrote an element the standard does not define: %(element)s.")
        % {"element": element},
    )


def _clean(data, schema: dict, prefix: str) -> dict:
    if not isinstance(data, dict):
        _refuse(prefix, _("%(element)s has the wrong type.") % {"element": prefix})
    cleaned = {}
    for key, value in data.items():
        element = f"{prefix}.{key}"
        if key not in schema:
            _unknown(element)
        rule = schema[key]
        if rule is READ_ONLY:
            continue
        if isinstance(rule, Collection):
            cleaned[key] = [
                _clean(entry, rule.schema, f"{element}.{index}")
                for index, entry in enumerate(_entries(value, element))
            ]
        elif isinstance(rule, dict):
            cleaned[key] = _clean(value, rule, element)
        elif rule == "learner_response":
            cleaned[key] = learner_response(value, element, str(data.get("type") or ""))
        else:
            cleaned[key] = rule(value, element)
    return cleaned


def cmi_clean(kind: str, data) -> dict:
    """The commit's data model, checked and without the LMS-owned elements.

    Returns the inner `cmi` object (for SCORM 2004, the adl namespace is kept under "adl";
    `cmi_loadable` leaves it out of what the player loads).
    Raises `InvalidRuntimeData` naming the first element at fault.
    """
    if not isinstance(data, dict):
        _refuse("cmi", _("%(element)s has the wrong type.") % {"element": "cmi"})
    wrapped = "cmi" in data or "adl" in data
    if wrapped:
        outer = set(data) - {"cmi", "adl"}
        if outer:
            _unknown(sorted(outer)[0])
        inner = data.get("cmi") or {}
    else:
        inner = data
    if kind == SCORM12:
        if wrapped and "adl" in data:
            _unknown("adl")
        return _clean(inner, SCORM12_SCHEMA, "cmi")
    if kind == SCORM2004:
        cleaned = _clean(inner, SCORM2004_SCHEMA, "cmi")
        adl = _clean(data.get("adl") or {}, ADL_SCHEMA, "adl") if wrapped else {}
        if adl:
            cleaned["adl"] = adl
        return cleaned
    raise ValueError(kind)


def cmi_loadable(kind: str, cmi: dict) -> dict:
    """A stored cmi in the form the player loads with scorm-again's `loadFromJSON`: the inner
    cmi object. The adl namespace (4th Edition shared data stores) is stored but not handed
    back: the LMS initializes adl.data from the manifest's adlcp:data, which Lentera does not
    read yet, so a SCO finds its stores empty at the next launch."""
    return {key: value for key, value in cmi.items() if key != "adl"}


# -- times ----------------------------------------------------------------------------------------


def timespan_parse(kind: str, value: str) -> timedelta:
    """A session time as a duration: SCORM 1.2 HHHH:MM:SS.SS or SCORM 2004 ISO 8601.

    ISO years and months have no fixed length: taken as 365 and 30 days.
    """
    if not value:
        return timedelta(0)
    if kind == SCORM12:
        match = _TIMESPAN12_LENIENT.match(value)
        if not match:
            return timedelta(0)
        hours, minutes, seconds, fraction = match.groups()
        return timedelta(
            hours=int(hours),
            minutes=int(minutes),
            seconds=int(seconds) + (float(fraction) if fraction else 0),
        )
    match = _DURATION.match(value)
    if not match:
        return timedelta(0)
    years, months, weeks, days, hours, minutes, seconds = (
        float(part or 0) for part in match.groups()
    )
    return timedelta(
        days=years * 365 + months * 30 + weeks * 7 + days,
        hours=hours,
        minutes=minutes,
        seconds=seconds,
    )


def timespan_render(kind: str, value: timedelta) -> str:
    """A total time in the standard's form (scorm-again's `cmi.core.total_time` / `total_time`)."""
    centiseconds = round(value.total_seconds() * 100)
    seconds, centis = divmod(centiseconds, 100)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if kind == SCORM12:
        rendered = f"{hours:04d}:{minutes:02d}:{seconds:02d}"
        return rendered + (f".{centis:02d}" if centis else "")
    parts = "PT"
    if hours:
        parts += f"{hours}H"
    if minutes:
        parts += f"{minutes}M"
    if seconds or centis or parts == "PT":
        parts += f"{seconds}.{centis:02d}S" if centis else f"{seconds}S"
    return parts


# -- outcomes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """The normalized result of a SCO: completion, success and score."""

    completion_status: str = "not attempted"  # not attempted | incomplete | completed | unknown
    success_status: str = "unknown"  # passed | failed | unknown
    score_raw: float | None = None
    score_min: float | None = None
    score_max: float | None = None
    score_scaled: float | None = None

    def done(self, *, passing_defined: bool) -> bool:
        """The item counts as finished: completed, and passed where a passing score is set
        (not failed where none is)."""
        if self.completion_status != "completed":
            return False
        if passing_defined:
            return self.success_status == "passed"
        return self.success_status != "failed"

    @property
    def score(self) -> dict | None:
        if all(
            value is None
            for value in (self.score_raw, self.score_min, self.score_max, self.score_scaled)
        ):
            return None
        return {
            "raw": self.score_raw,
            "min": self.score_min,
            "max": self.score_max,
            "scaled": self.score_scaled,
        }


def _number(value) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _scaled(raw, low, high) -> float | None:
    """raw within [min, max] as a scaled score in [0, 1] (a 1.2 max defaults to 100)."""
    if raw is None:
        return None
    low = 0.0 if low is None else low
    high = 100.0 if high is None else high
    if high <= low:
        return None
    return max(-1.0, min(1.0, (raw - low) / (high - low)))


def scorm12_outcome(cmi: dict, *, mastery_score: float | None) -> Outcome:
    """SCORM 1.2: lesson_status normalized; the mastery score decides passed or failed.

    RTE 3.4.2.2.3 (cmi.student_data.mastery_score) and 3.4.2.1.4: when the manifest sets a
    mastery score and the SCO reports a raw score with a final status, the LMS sets
    lesson_status to passed (score >= mastery) or failed. "failed" and "passed" are final:
    completion "completed", success failed or passed.
    """
    core = cmi.get("core") or {}
    status = core.get("lesson_status") or "not attempted"
    score = core.get("score") or {}
    raw, low, high = _number(score.get("raw")), _number(score.get("min")), _number(score.get("max"))
    if (
        mastery_score is not None
        and raw is not None
        and status in ("completed", "passed", "failed")
    ):
        status = "passed" if raw >= mastery_score else "failed"
    completion = {
        "passed": "completed",
        "completed": "completed",
        "failed": "completed",
        "incomplete": "incomplete",
        "browsed": "incomplete",
        "not attempted": "not attempted",
    }[status]
    success = {"passed": "passed", "failed": "failed"}.get(status, "unknown")
    return Outcome(
        completion_status=completion,
        success_status=success,
        score_raw=raw,
        score_min=low,
        score_max=high,
        score_scaled=_scaled(raw, low, high),
    )


def scorm2004_outcome(
    cmi: dict, *, completion_threshold: float | None, scaled_passing_score: float | None
) -> Outcome:
    """SCORM 2004 4th Edition RTE 4.2.4.1 and 4.2.22.1: the statuses the LMS reports.

    With a completion threshold and a progress measure, completion is progress >= threshold;
    with a scaled passing score, success is score.scaled >= it, "unknown" without a scaled score.
    Otherwise the SCO's own statuses count.
    """
    completion = cmi.get("completion_status") or "unknown"
    success = cmi.get("success_status") or "unknown"
    progress = _number(cmi.get("progress_measure"))
    if completion_threshold is not None and progress is not None:
        completion = "completed" if progress >= completion_threshold else "incomplete"
    score = cmi.get("score") or {}
    scaled = _number(score.get("scaled"))
    if scaled_passing_score is not None:
        if scaled is None:
            success = "unknown"
        else:
            success = "passed" if scaled >= scaled_passing_score else "failed"
    return Outcome(
        completion_status=completion,
        success_status=success,
        score_raw=_number(score.get("raw")),
        score_min=_number(score.get("min")),
        score_max=_number(score.get("max")),
        score_scaled=scaled,
    )


def scorm12_entry(cmi: dict) -> str:
    """cmi.core.entry for the next session: "resume" after a suspend, else "" (RTE 3.4.2.1.5);
    "ab-initio" before the first."""
    if not cmi:
        return "ab-initio"
    return "resume" if (cmi.get("core") or {}).get("exit") == "suspend" else ""


def scorm2004_entry(cmi: dict) -> str:
    """cmi.entry for the next session (RTE 4.2.8): "ab_initio" (2004 spells it with an
    underscore) before the first, "resume" after suspend or logout."""
    if not cmi:
        return "ab_initio"
    return "resume" if cmi.get("exit") in ("suspend", "logout") else ""


# -- H5P's xAPI ----------------------------------------------------------------------------------

XAPI_VERBS = "http://adlnet.gov/expapi/verbs/"
VERB_COMPLETED = XAPI_VERBS + "completed"
VERB_ANSWERED = XAPI_VERBS + "answered"
VERB_PASSED = XAPI_VERBS + "passed"
VERB_FAILED = XAPI_VERBS + "failed"
FINISHING_VERBS = {VERB_COMPLETED, VERB_ANSWERED, VERB_PASSED, VERB_FAILED}
H5P_SUB_CONTENT = "http://h5p.org/x-api/h5p-subContentId"


@dataclass(frozen=True)
class XapiResult:
    """What counts of an H5P statement: its verb, and its result for the content itself."""

    verb: str
    top_level: bool
    score_raw: float | None = None
    score_min: float | None = None
    score_max: float | None = None
    score_scaled: float | None = None
    completion: bool | None = None
    success: bool | None = None

    @property
    def finishing(self) -> bool:
        return self.top_level and (
            self.verb in {VERB_COMPLETED, VERB_PASSED, VERB_FAILED}
            or (self.verb == VERB_ANSWERED and self.completion is not False)
        )


def _statement_refuse(element: str):
    _refuse(
        element,
        _("The H5P statement is not valid: %(element)s.") % {"element": element},
        code="invalid_statement",
    )


def _iri(value, element: str) -> str:
    if (
        not isinstance(value, str)
        or not value
        or len(value) > 2048
        or any(c.isspace() for c in value)
    ):
        _statement_refuse(element)
    return value


def xapi_statement_clean(statement) -> XapiResult:
    """Check an xAPI statement H5P sent, and read its verb and result.

    Only statements about the content itself count: H5P marks a sub-content's statements
    (a question inside a question set) with the h5p-subContentId extension on the object and
    a parent in the context's activities.
    """
    if not isinstance(statement, dict):
        _statement_refuse("statement")
    try:
        size = len(json.dumps(statement))
    except (TypeError, ValueError):
        _statement_refuse("statement")
    if size > XAPI_STATEMENT_MAX:
        _statement_refuse("statement")
    verb = statement.get("verb")
    if not isinstance(verb, dict):
        _statement_refuse("verb")
    verb_id = _iri(verb.get("id"), "verb.id")
    target = statement.get("object")
    if not isinstance(target, dict):
        _statement_refuse("object")
    _iri(target.get("id"), "object.id")
    definition = target.get("definition") or {}
    if not isinstance(definition, dict):
        _statement_refuse("object.definition")
    extensions = definition.get("extensions") or {}
    if not isinstance(extensions, dict):
        _statement_refuse("object.definition.extensions")
    context = statement.get("context") or {}
    if not isinstance(context, dict):
        _statement_refuse("context")
    activities = context.get("contextActivities") or {}
    if not isinstance(activities, dict):
        _statement_refuse("context.contextActivities")
    top_level = not extensions.get(H5P_SUB_CONTENT) and not activities.get("parent")

    result = statement.get("result")
    if result is None:
        return XapiResult(verb=verb_id, top_level=top_level)
    if not isinstance(result, dict):
        _statement_refuse("result")
    score = result.get("score") or {}
    if not isinstance(score, dict):
        _statement_refuse("result.score")
    numbers = {}
    for key in ("raw", "min", "max", "scaled"):
        value = score.get(key)
        if value is None:
            numbers[key] = None
            continue
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            _statement_refuse(f"result.score.{key}")
        numbers[key] = float(value)
    if numbers["scaled"] is not None and not -1 <= numbers["scaled"] <= 1:
        _statement_refuse("result.score.scaled")
    low, high, raw = numbers["min"], numbers["max"], numbers["raw"]
    if low is not None and high is not None and low > high:
        _statement_refuse("result.score.min")
    if raw is not None and ((low is not None and raw < low) or (high is not None and raw > high)):
        _statement_refuse("result.score.raw")
    if numbers["scaled"] is None and raw is not None and high:
        numbers["scaled"] = max(-1.0, min(1.0, (raw - (low or 0)) / (high - (low or 0))))
    flags = {}
    for key in ("completion", "success"):
        value = result.get(key)
        if value is not None and not isinstance(value, bool):
            _statement_refuse(f"result.{key}")
        flags[key] = value
    duration_value = result.get("duration")
    if duration_value is not None and (
        not isinstance(duration_value, str) or not _DURATION.match(duration_value)
    ):
        _statement_refuse("result.duration")
    return XapiResult(
        verb=verb_id,
        top_level=top_level,
        score_raw=raw,
        score_min=low,
        score_max=high,
        score_scaled=numbers["scaled"],
        completion=flags["completion"],
        success=flags["success"],
    )


def h5p_state_clean(state) -> str | None:
    """H5P's user state (its resume data): a string of bounded length, or None (unchanged)."""
    if state is None:
        return None
    if not isinstance(state, str):
        _refuse("state", _("%(element)s has the wrong type.") % {"element": "state"})
    if len(state) > H5P_STATE_MAX:
        _refuse(
            "state",
            _("%(element)s is too long (at most %(limit)s characters).")
            % {"element": "state", "limit": H5P_STATE_MAX},
        )
    return state


def h5p_outcome(previous: Outcome, statement: XapiResult, *, pass_mark: int | None) -> Outcome:
    """The H5P item's outcome after a statement about the content itself.

    A finishing statement (completed, answered, passed, failed) completes the item and carries
    its score; with a pass mark, success is the scaled score (as a percentage) against it,
    otherwise H5P's own `result.success` when it gave one. A better outcome is never lost to a
    later, worse try: the best score is kept once completed.
    """
    if not statement.finishing:
        if statement.top_level and previous.completion_status == "not attempted":
            return Outcome(
                completion_status="incomplete",
                success_status=previous.success_status,
                score_raw=previous.score_raw,
                score_min=previous.score_min,
                score_max=previous.score_max,
                score_scaled=previous.score_scaled,
            )
        return previous
    scaled = statement.score_scaled
    if pass_mark is not None:
        success = (
            "unknown" if scaled is None else ("passed" if scaled * 100 >= pass_mark else "failed")
        )
    elif statement.success is not None:
        success = "passed" if statement.success else "failed"
    elif statement.verb in (VERB_PASSED, VERB_FAILED):
        success = "passed" if statement.verb == VERB_PASSED else "failed"
    else:
        success = "unknown"
    current = Outcome(
        completion_status="completed",
        success_status=success,
        score_raw=statement.score_raw,
        score_min=statement.score_min,
        score_max=statement.score_max,
        score_scaled=scaled,
    )
    if previous.completion_status == "completed" and _better(previous, current):
        return previous
    return current


def _better(previous: Outcome, current: Outcome) -> bool:
    """Whether the earlier outcome beats the new one (passed over not; then the higher score)."""
    rank = {"passed": 2, "unknown": 1, "failed": 0}
    if rank[previous.success_status] != rank[current.success_status]:
        return rank[previous.success_status] > rank[current.success_status]
    if previous.score_scaled is None:
        return False
    if current.score_scaled is None:
        return True
    return previous.score_scaled > current.score_scaled
