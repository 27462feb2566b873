"""Helpers for the runtime tests (services, API, selectors, dashboard): a published course
whose module holds an ordinary lesson and a package lesson, learners enrolled in it, and
commits in scorm-again's JSON form."""

import uuid
from datetime import timedelta

from django.utils import timezone

from courses.factories import (
    CourseCompetencyFactory,
    CoursePageFactory,
    LessonPageFactory,
    ModulePageFactory,
)
from learners.factories import EnrollmentFactory, UserFactory
from packages import samples
from packages.factories import PackageFactory, PackageLessonPageFactory


def course_with_package(provider_page, *, archive=None, pass_mark=None, lesson_first=True):
    """A published course: one module with an ordinary lesson, then a package lesson.

    Returns (course, lesson, package_lesson). The package is imported for the course's
    provider (a SCORM 1.2 single SCO with mastery score 80 unless `archive` is given).
    """
    course = CoursePageFactory(parent=provider_page, title="Keamanan Informasi", jp=4)
    CourseCompetencyFactory(page=course)
    module = ModulePageFactory(parent=course, title="Modul 1")
    lesson = LessonPageFactory(parent=module, title="Pengantar") if lesson_first else None
    package = PackageFactory(
        organization=provider_page.organization,
        archive=archive if archive is not None else samples.scorm12_single_sco(),
    )
    package_lesson = PackageLessonPageFactory(
        parent=module, title="Paket Kata Sandi", package=package, pass_mark=pass_mark
    )
    return course, lesson, package_lesson


def enrolled(course, **user_fields):
    """A learner with an active enrollment begun an hour ago."""
    user = UserFactory(**user_fields)
    EnrollmentFactory(user=user, course=course, started_at=timezone.now() - timedelta(hours=1))
    return user


def commit_body(package_lesson, cmi, **fields):
    """The JSON body of a commit to the API, for the package's first item unless given."""
    return {
        "item": package_lesson.package.items[0]["identifier"],
        "event_id": str(event()),
        "committed_at": timezone.now().isoformat(),
        "cmi": cmi,
        "terminate": False,
        **fields,
    }


def cmi12(status="incomplete", *, raw="", location="", suspend="", session="", exit_=""):
    """scorm-again's full SCORM 1.2 commit (renderCommitCMI), as the player sends it."""
    return {
        "cmi": {
            "suspend_data": suspend,
            "launch_data": "",
            "comments": "",
            "comments_from_lms": "",
            "core": {
                "student_id": "u1",
                "student_name": "Lestari, Dewi",
                "lesson_location": location,
                "credit": "credit",
                "lesson_status": status,
                "entry": "",
                "lesson_mode": "normal",
                "exit": exit_,
                "session_time": session,
                "score": {"raw": raw, "min": "", "max": "100" if raw != "" else ""},
                "total_time": "0000:00:00",
            },
            "objectives": {},
            "student_data": {
                "mastery_score": "80",
                "max_time_allowed": "",
                "time_limit_action": "",
            },
            "student_preference": {"audio": "", "language": "", "speed": "", "text": ""},
            "interactions": {},
        }
    }


def cmi2004(completion="incomplete", success="unknown", *, scaled="", progress="", **extra):
    """scorm-again's full SCORM 2004 commit (the cmi object only)."""
    cmi = {
        "comments_from_learner": {},
        "comments_from_lms": {},
        "completion_status": completion,
        "completion_threshold": "1",
        "credit": "credit",
        "entry": "",
        "exit": "",
        "interactions": {},
        "launch_data": "",
        "learner_id": "u1",
        "learner_name": "Lestari, Dewi",
        "learner_preference": {
            "audio_level": "1",
            "language": "",
            "delivery_speed": "1",
            "audio_captioning": "0",
        },
        "location": "",
        "max_time_allowed": "",
        "mode": "normal",
        "objectives": {},
        "progress_measure": progress,
        "scaled_passing_score": "0.8",
        "score": {"scaled": scaled, "raw": "", "min": "", "max": ""},
        "session_time": "",
        "success_status": success,
        "suspend_data": "",
        "time_limit_action": "continue,no message",
        "total_time": "PT0S",
    }
    cmi.update(extra)
    return cmi


def statement(verb="completed", *, raw=None, max_=None, success=None, sub_content=False):
    """An xAPI statement as H5P's dispatcher sends it."""
    result = {}
    if raw is not None:
        result["score"] = {"raw": raw, "min": 0, "max": max_, "scaled": raw / max_}
        result["completion"] = True
    if success is not None:
        result["success"] = success
    body = {
        "actor": {"name": "Dewi", "mbox": "mailto:dewi@example.org", "objectType": "Agent"},
        "verb": {
            "id": f"http://adlnet.gov/expapi/verbs/{verb}",
            "display": {"en-US": verb},
        },
        "object": {
            "id": "http://localhost/paket/x/putar/?subContentId=1"
            if sub_content
            else "http://localhost/paket/x/putar/",
            "objectType": "Activity",
            "definition": {
                "extensions": {"http://h5p.org/x-api/h5p-local-content-id": 1}
                | ({"http://h5p.org/x-api/h5p-subContentId": "abc"} if sub_content else {})
            },
        },
        "context": {
            "contextActivities": {
                "category": [{"id": "http://h5p.org/libraries/H5P.LenteraQuiz-1.0"}]
            }
            | ({"parent": [{"id": "http://localhost/paket/x/putar/"}]} if sub_content else {})
        },
    }
    if result:
        body["result"] = result
    return body


def event():
    return uuid.uuid4()
