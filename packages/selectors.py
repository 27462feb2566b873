"""What the lesson page and the player need to play a package for a learner: the runtime
config (`runtime_config`), in a constant number of queries whatever the number of items.

The config is rendered into the lesson page (json_script "package-runtime") and answered by
GET /api/v1/package-lessons/<id>/runtime; its shape is fixed in the issue's contract. The cmi
of each item is what scorm-again's `loadFromJSON` takes before the SCO starts: the learner's
stored data, plus the elements the LMS owns (the learner's opaque id and name, credit, entry,
total time, the manifest's mastery score, thresholds and launch data), without the write-only
ones of the last session (session_time, exit). Once the lesson is completed, mode "review" and
credit "no-credit" everywhere (config.mode and each item's cmi): the services then store only
the review session's resume data. An attempt's data of a package the lesson no longer plays
(an editor replaced it) is left out: the new package starts afresh.
"""

from datetime import timedelta

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from learners.models import Enrollment, LessonCompletion, User
from packages import runtime
from packages.models import Package, PackageLessonPage, ScoState
from packages.origin import package_urls
from packages.services import H5P_ITEM


def learner_id(user: User) -> str:
    """cmi.core.student_id / cmi.learner_id: opaque, never the e-mail or NIP."""
    return f"u{user.pk}"


def learner_name(user: User) -> str:
    """cmi.core.student_name / cmi.learner_name, "Family, Given" by SCORM's convention: the
    last word of the full name first. A name of one word, or one already holding a comma (a
    degree such as "S.Kom."), is given as it is."""
    name = " ".join((user.full_name or "").split())
    words = name.split(" ")
    if len(words) < 2 or "," in name:
        return name
    return f"{words[-1]}, {' '.join(words[:-1])}"


def _enrollment(user: User, lesson: PackageLessonPage) -> Enrollment | None:
    """The learning enrollment (active or completed) in the lesson's course, in one query:
    the course is the lesson's grandparent (course > module > lesson)."""
    if not user.is_authenticated:
        return None
    course_path = lesson.path[: -2 * PackageLessonPage.steplen]
    return (
        Enrollment.objects.filter(
            user=user,
            course__path=course_path,
            status__in=[Enrollment.Status.ACTIVE, Enrollment.Status.COMPLETED],
        )
        .order_by("-created_at")
        .first()
    )


def _score(sco: ScoState | None) -> dict | None:
    if sco is None:
        return None
    return runtime.Outcome(
        score_raw=sco.score_raw,
        score_min=sco.score_min,
        score_max=sco.score_max,
        score_scaled=sco.score_scaled,
    ).score


def _text(value) -> str:
    """A manifest number as the data model's string ("" when the manifest has none)."""
    if value is None:
        return ""
    return runtime.number_text(value) if isinstance(value, float | int) else str(value)


def _loadable_12(*, entry: dict, sco: ScoState | None, user: User, review: bool) -> dict:
    stored = dict(sco.cmi) if sco else {}
    core = {
        key: value
        for key, value in (stored.get("core") or {}).items()
        if key not in ("session_time", "exit")
    }
    core.update(
        student_id=learner_id(user),
        student_name=learner_name(user),
        credit="no-credit" if review else "credit",
        lesson_mode="review" if review else "normal",
        entry=runtime.scorm12_entry(sco.cmi if sco else {}),
        total_time=runtime.timespan_render(
            runtime.SCORM12, sco.total_time if sco else timedelta(0)
        ),
    )
    stored["core"] = core
    stored["launch_data"] = entry.get("data_from_lms") or ""
    stored["student_data"] = {
        "mastery_score": _text(entry.get("mastery_score")),
        "max_time_allowed": entry.get("max_time_allowed") or "",
        "time_limit_action": entry.get("time_limit_action") or "",
    }
    return stored


def _loadable_2004(*, entry: dict, sco: ScoState | None, user: User, review: bool) -> dict:
    stored = {
        key: value
        for key, value in (sco.cmi if sco else {}).items()
        if key not in ("session_time", "exit")
    }
    stored.update(
        learner_id=learner_id(user),
        learner_name=learner_name(user),
        credit="no-credit" if review else "credit",
        mode="review" if review else "normal",
        entry=runtime.scorm2004_entry(sco.cmi if sco else {}),
        total_time=runtime.timespan_render(
            runtime.SCORM2004, sco.total_time if sco else timedelta(0)
        ),
        launch_data=entry.get("data_from_lms") or "",
        completion_threshold=_text(entry.get("completion_threshold")),
        scaled_passing_score=_text(entry.get("scaled_passing_score")),
        max_time_allowed=entry.get("max_time_allowed") or "",
        time_limit_action=entry.get("time_limit_action") or "",
    )
    return runtime.cmi_loadable(runtime.SCORM2004, stored)


def _start_item(items: list[dict], scos: dict[str, ScoState]) -> str | None:
    """Resume where the learner left off: the item most recently written with a location or
    suspend data, else the first item not completed, else the first."""
    if not items:
        return None
    resumable = [
        sco
        for identifier, sco in scos.items()
        if sco.last_event_at is not None and _has_resume_data(sco.cmi)
    ]
    if resumable:
        return max(resumable, key=lambda sco: sco.last_event_at).item
    for entry in items:
        sco = scos.get(entry["identifier"])
        if sco is None or sco.completion_status != "completed":
            return entry["identifier"]
    return items[0]["identifier"]


def _has_resume_data(cmi: dict) -> bool:
    core = cmi.get("core") or {}
    return bool(
        cmi.get("suspend_data")
        or cmi.get("location")
        or core.get("lesson_location")
        or cmi.get("state")
    )


def ui_strings() -> dict:
    """The words the lesson page's player bridge shows, in the interface language."""
    return {
        "saving": _("Saving…"),
        "saved": _("Your progress is saved."),
        "queued": _("Saved on this device; it will be sent when you are back online."),
        "error": _("Your progress could not be saved. Check your connection and try again."),
        "lesson_completed": _("Lesson completed."),
        "certificate": _("See your certificate"),
        "review": _(
            "You completed this lesson. You can go through it again; your completion stays."
        ),
        "browse": _("Enroll in this course to save your progress in this lesson."),
        "unavailable": _("E-learning packages cannot be played at this address."),
        "outline": _("Parts of this lesson"),
        "statuses": {
            "not attempted": _("Not started"),
            "incomplete": _("In progress"),
            "completed": _("Completed"),
            "unknown": _("Not started"),
            "passed": _("Passed"),
            "failed": _("Not passed yet"),
        },
    }


def runtime_config(*, user: User, lesson: PackageLessonPage, request: HttpRequest) -> dict:
    """The runtime config of the issue's contract for `user` (who may be anonymous: browse)."""
    package: Package = lesson.package
    enrollment = _enrollment(user, lesson)
    scos: dict[str, ScoState] = {}
    completed = False
    if enrollment is not None:
        scos = {
            sco.item: sco
            # The data of a package the lesson no longer plays is not fed to its new one.
            for sco in ScoState.objects.filter(
                attempt__enrollment=enrollment,
                attempt__lesson=lesson,
                attempt__package_id=lesson.package_id,
            )
        }
        completed = LessonCompletion.objects.filter(enrollment=enrollment, lesson=lesson).exists()
    manifest = package.manifest or {}
    items = package.items
    kind = package.kind
    enrolled = enrollment is not None
    identity = user if user.is_authenticated else None

    item_rows = []
    loadable = {}
    for entry in items:
        identifier = entry["identifier"]
        sco = scos.get(identifier)
        item_rows.append(
            {
                "identifier": identifier,
                "title": entry.get("title") or "",
                "launch": entry.get("launch") or "",
                "scormType": entry.get("scorm_type") or "sco",
                "masteryScore": entry.get("mastery_score"),
                "completionThreshold": entry.get("completion_threshold"),
                "scaledPassingScore": entry.get("scaled_passing_score"),
                "dataFromLms": entry.get("data_from_lms") or "",
                "maxTimeAllowed": entry.get("max_time_allowed") or "",
                "timeLimitAction": entry.get("time_limit_action") or "",
                "completionStatus": sco.completion_status if sco else "not attempted",
                "successStatus": sco.success_status if sco else "unknown",
                "score": _score(sco),
            }
        )
        if identity is None or kind == Package.Kind.H5P:
            continue
        if kind == Package.Kind.SCORM12:
            loadable[identifier] = _loadable_12(
                entry=entry, sco=sco, user=identity, review=completed
            )
        else:
            loadable[identifier] = _loadable_2004(
                entry=entry, sco=sco, user=identity, review=completed
            )

    h5p_sco = scos.get(H5P_ITEM)
    return {
        "lesson": lesson.pk,
        "kind": kind,
        "title": lesson.title,
        **package_urls(request, package),
        "commitUrl": reverse("learner-api:package_commit", kwargs={"lesson_id": lesson.pk}),
        "xapiUrl": reverse("learner-api:package_xapi", kwargs={"lesson_id": lesson.pk}),
        "enrolled": enrolled,
        "mode": "browse" if not enrolled else ("review" if completed else "normal"),
        "learner": {
            "id": learner_id(identity) if identity else "",
            "name": learner_name(identity) if identity else "",
        },
        "items": item_rows,
        "startItem": _start_item(items, scos),
        "cmi": loadable,
        "structure": manifest.get("structure") or [] if kind == Package.Kind.SCORM2004 else [],
        "sequencingCollection": manifest.get("sequencing_collection")
        if kind == Package.Kind.SCORM2004
        else None,
        "h5p": {
            "state": (h5p_sco.cmi or {}).get("state") if h5p_sco else None,
            "passMark": lesson.pass_mark,
        }
        if kind == Package.Kind.H5P
        else None,
        "lessonCompleted": completed,
        "strings": ui_strings(),
    }
