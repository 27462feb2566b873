"""xAPI 1.0.3 statements built from Lentera's records.

Verbs are ADL's (http://adlnet.gov/expapi/verbs/...), except "earned" for a certificate, which
ADL's list lacks (the xAPI registry's http://id.tincanapi.com/verb/earned). Activity ids are the
public addresses of the pages (BASE_URL + the page's path, in the default language), so another
system can follow them back to the course. The actor is an `account` on BASE_URL named by an
opaque id (`xapi.models.Actor`), never by the e-mail address or the NIP.

`statement_build` returns None when a record has nothing to say to an LRS (an enrollment request,
a withdrawal) or can no longer be told (its learner erased their account).

"answered" is one statement per question of a submitted quiz attempt, on a `cmi.interaction`
activity (the quiz's id with a `#question-<block id>` fragment) under the quiz's; "experienced"
is a plain lesson an enrolled learner kept open (xapi.services.lesson_experienced_record).
"""

import uuid
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator
from wagtail.models import Page

from courses.models import CoursePage
from development.models import DevelopmentForm, DevelopmentRecord
from learners.certificates import certificate_verify_url
from learners.models import Certificate, Enrollment, LearningRecord, User
from packages.models import PackageAttempt
from quizzes.models import QuizAttempt, QuizPage
from xapi.models import XAPI_NAMESPACE, Actor, Delivery

XAPI_VERSION = "1.0.3"
ADL = "http://adlnet.gov/expapi/verbs/"
VERBS = {
    "registered": ADL + "registered",
    "completed": ADL + "completed",
    "passed": ADL + "passed",
    "failed": ADL + "failed",
    "launched": ADL + "launched",
    "answered": ADL + "answered",
    "experienced": ADL + "experienced",
    "earned": "http://id.tincanapi.com/verb/earned",
}
ACTIVITY_TYPES = {
    "course": "http://adlnet.gov/expapi/activities/course",
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "assessment": "http://adlnet.gov/expapi/activities/assessment",
    "certificate": "https://w3id.org/xapi/acrossx/activities/certificate",
    "development": "http://adlnet.gov/expapi/activities/meeting",
    "interaction": "http://adlnet.gov/expapi/activities/cmi.interaction",
}
#: An interaction's name is the question's start; its description the whole question.
QUESTION_NAME_CHARS = 120

#: The learning record's verbs that become statements, and the statement's verb.
LEARNING_RECORD_VERBS = {
    LearningRecord.Verb.ENROLLED: "registered",
    LearningRecord.Verb.LESSON_COMPLETED: "completed",
    LearningRecord.Verb.QUIZ_ATTEMPTED: None,  # passed, failed, or completed (a pre-test)
    LearningRecord.Verb.COURSE_COMPLETED: "completed",
    LearningRecord.Verb.CERTIFICATE_ISSUED: "earned",
}


def base_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def extension(name: str) -> str:
    """The IRI of one of Lentera's result extensions (JP, the development form)."""
    return f"{base_url()}/xapi/extensions/{name}"


def registration_for(enrollment_id: int | None) -> str | None:
    """The registration of an enrollment: the same UUID in every statement about it."""
    if enrollment_id is None:
        return None
    return str(uuid.uuid5(XAPI_NAMESPACE, f"enrollment:{enrollment_id}"))


def actor_for(user: User) -> dict:
    actor, _ = Actor.objects.get_or_create(user=user)
    return {
        "objectType": "Agent",
        "account": {"homePage": base_url(), "name": str(actor.name)},
    }


def page_activity_id(page: Page | None, *, fallback: str) -> str:
    """BASE_URL + the page's path; a page no longer routable keeps a stable id of its own."""
    parts = page.get_url_parts() if page is not None else None
    if parts is None:
        return f"{base_url()}/xapi/activities/{fallback}"
    with translation.override(settings.LANGUAGE_CODE):
        return base_url() + parts[2]


def language_map(text: str) -> dict[str, str]:
    return {settings.LANGUAGE_CODE: text}


def activity(activity_id: str, *, kind: str, name: str) -> dict:
    return {
        "objectType": "Activity",
        "id": activity_id,
        "definition": {"type": ACTIVITY_TYPES[kind], "name": language_map(name or activity_id)},
    }


def course_activity(course: CoursePage) -> dict:
    return activity(
        page_activity_id(course, fallback=f"course/{course.pk}"), kind="course", name=course.title
    )


def verb(name: str) -> dict:
    return {"id": VERBS[name], "display": {"en-US": name}}


def _statement(
    *,
    delivery: Delivery,
    user: User,
    verb_name: str,
    obj: dict,
    timestamp,
    result: dict | None = None,
    course: CoursePage | None = None,
    enrollment_id: int | None = None,
    parent: dict | None = None,
    context_extensions: dict | None = None,
) -> dict:
    """A statement; its context's parent is `parent` (a question's quiz), else the course, and
    its grouping the course."""
    context: dict = {"language": settings.LANGUAGE_CODE, "platform": "Lentera"}
    registration = registration_for(enrollment_id)
    if registration:
        context["registration"] = registration
    if course is not None:
        grouping = course_activity(course)
        if grouping["id"] != obj["id"]:
            context["contextActivities"] = {"parent": [parent or grouping], "grouping": [grouping]}
    if context_extensions:
        context["extensions"] = context_extensions
    statement = {
        "id": str(delivery.statement_id),
        "actor": actor_for(user),
        "verb": verb(verb_name),
        "object": obj,
        "timestamp": timestamp.isoformat(),
        "context": context,
        "version": XAPI_VERSION,
    }
    if result:
        statement["result"] = result
    return statement


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None


def _enrollment(enrollment_id) -> Enrollment | None:
    if enrollment_id is None:
        return None
    return Enrollment.objects.select_related("course", "user").filter(pk=enrollment_id).first()


def _learning_record_statement(delivery: Delivery) -> dict | None:
    record = LearningRecord.objects.select_related("learner").filter(pk=delivery.source_id).first()
    if record is None or record.learner is None or record.verb not in LEARNING_RECORD_VERBS:
        return None
    data = record.result or {}
    verb_name = LEARNING_RECORD_VERBS[record.verb]
    enrollment = _enrollment(data.get("enrollment_id"))
    course = enrollment.course if enrollment else None
    result: dict | None = None
    label = record.object_label
    if record.verb == LearningRecord.Verb.CERTIFICATE_ISSUED:
        certificate = (
            Certificate.objects.select_related("enrollment__course")
            .filter(pk=record.object_id)
            .first()
        )
        if certificate is None:
            return None
        enrollment, course = certificate.enrollment, certificate.enrollment.course
        obj = activity(
            certificate_verify_url(certificate),
            kind="certificate",
            name=f"{course.title} ({certificate.serial})",
        )
    elif record.verb in (LearningRecord.Verb.ENROLLED, LearningRecord.Verb.COURSE_COMPLETED):
        course = course or CoursePage.objects.filter(pk=record.object_id).first()
        if course is None:
            return None
        obj = course_activity(course)
        if record.verb == LearningRecord.Verb.COURSE_COMPLETED:
            result = {"completion": True}
            jp = _decimal(data.get("jp"))
            if jp is not None:
                result["extensions"] = {extension("jp"): float(jp)}
    else:
        page = Page.objects.filter(pk=record.object_id).first()
        is_quiz = record.verb == LearningRecord.Verb.QUIZ_ATTEMPTED
        obj = activity(
            page_activity_id(page, fallback=f"{record.object_type}/{record.object_id}"),
            kind="assessment" if is_quiz else "lesson",
            name=label,
        )
        if is_quiz:
            result = {"completion": True}
            passed = data.get("passed")
            verb_name = "completed" if passed is None else ("passed" if passed else "failed")
            if passed is not None:
                result["success"] = bool(passed)
            score = _decimal(data.get("score"))
            maximum = data.get("max_points")
            if score is not None:
                result["score"] = {"scaled": float(min(max(score / 100, 0), 1))}
                if isinstance(maximum, int) and maximum > 0:
                    result["score"].update({"raw": data.get("points", 0), "min": 0, "max": maximum})
            if record.object_type == QuizPage._meta.label_lower and data.get("role"):
                result["extensions"] = {extension("quiz-role"): data["role"]}
    return _statement(
        delivery=delivery,
        user=record.learner,
        verb_name=verb_name,
        obj=obj,
        timestamp=record.timestamp,
        result=result,
        course=course,
        enrollment_id=enrollment.pk if enrollment else None,
    )


def development_record_is_sent(record: DevelopmentRecord) -> bool:
    """A verified non-classical record (Perlan 10/2018): classical training has its own records
    at the organizer, and unverified claims are not learning anyone vouched for."""
    return (
        record.status == DevelopmentRecord.Status.VERIFIED
        and record.form.mode == DevelopmentForm.Mode.NON_CLASSICAL
    )


def _development_record_statement(delivery: Delivery) -> dict | None:
    record = (
        DevelopmentRecord.objects.select_related("owner", "form")
        .filter(pk=delivery.source_id)
        .first()
    )
    if record is None or not development_record_is_sent(record):
        return None
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("development:record_detail", args=[record.pk])
    obj = activity(base_url() + path, kind="development", name=record.title)
    obj["definition"]["description"] = language_map(
        f"{record.form.name}" + (f" — {record.organizer}" if record.organizer else "")
    )
    hours = _decimal(record.hours) or Decimal(0)
    result = {
        "completion": True,
        "duration": f"PT{hours.normalize():f}H",
        "extensions": {
            extension("jp"): float(record.jp_credited),
            extension("development-form"): record.form.code,
        },
    }
    return _statement(
        delivery=delivery,
        user=record.owner,
        verb_name="completed",
        obj=obj,
        timestamp=record.decided_at or record.updated_at,
        result=result,
    )


def _package_attempt_statement(delivery: Delivery) -> dict | None:
    attempt = (
        PackageAttempt.objects.select_related("enrollment__user", "enrollment__course", "lesson")
        .filter(pk=delivery.source_id)
        .first()
    )
    if attempt is None:
        return None
    lesson = attempt.lesson
    obj = activity(
        page_activity_id(lesson, fallback=f"packages.packagelessonpage/{lesson.pk}"),
        kind="lesson",
        name=lesson.title,
    )
    return _statement(
        delivery=delivery,
        user=attempt.enrollment.user,
        verb_name="launched",
        obj=obj,
        timestamp=attempt.started_at,
        course=attempt.enrollment.course,
        enrollment_id=attempt.enrollment_id,
    )


def question_activity_id(quiz_activity_id: str, question_id: str) -> str:
    """A question's activity: its quiz's, with a fragment naming the question's block (stable
    across edits of the question, see quizzes.blocks)."""
    return f"{quiz_activity_id}#question-{question_id}"


def _question_definition(child, kept, option_ids: list[str]) -> tuple[dict, dict]:
    """(the interaction's definition, the result) of one answered question.

    `child` is the question as it is now (a bound StreamField block), None when it was deleted
    since the attempt: then the statement says only what the attempt kept (the response and
    the options shown), and neither success nor score, which nothing can tell any more.
    """
    is_choice = isinstance(kept, list)
    response = "[,]".join(kept) if is_choice else str(kept or "")
    definition: dict = {
        "type": ACTIVITY_TYPES["interaction"],
        "interactionType": "choice" if is_choice else "fill-in",
    }
    result: dict = {"response": response}
    if child is None:
        if is_choice and option_ids:
            definition["choices"] = [{"id": option_id} for option_id in option_ids]
        return definition, result
    block, value = child.block, child.value
    text = value["text"]
    definition["name"] = language_map(Truncator(" ".join(text.split())).chars(QUESTION_NAME_CHARS))
    definition["description"] = language_map(text)
    options = block.option_items(value)
    if options:
        definition["interactionType"] = "choice"
        definition["choices"] = [
            {"id": option_id, "description": language_map(option["text"])}
            for option_id, option in options
        ]
        correct = block.correct_answer(value)
        if correct:  # a pattern may not be empty (a question saved without a correct option)
            definition["correctResponsesPattern"] = ["[,]".join(correct)]
    else:
        definition["interactionType"] = "fill-in"
        # Lentera matches more loosely than case (spaces, end punctuation: normalize_answer);
        # case is what xAPI's pattern can say.
        patterns = [
            "{case_matters=false}" + accepted
            for accepted in block.correct_answer(value)
            if str(accepted).strip()
        ]
        if patterns:
            definition["correctResponsesPattern"] = patterns
    success = bool(block.is_correct(value, kept))
    points = int(value["points"])
    result.update(
        success=success,
        score={
            "scaled": 1.0 if success else 0.0,
            "raw": points if success else 0,
            "min": 0,
            "max": points,
        },
    )
    return definition, result


def _quiz_answer_statement(delivery: Delivery) -> dict | None:
    attempt_id, _sep, question_id = delivery.source_id.partition(":")
    attempt = (
        QuizAttempt.objects.select_related("user", "quiz", "enrollment__course")
        .filter(pk=attempt_id, status=QuizAttempt.Status.SUBMITTED)
        .first()
    )
    if attempt is None or question_id not in (attempt.answers or {}):
        return None
    quiz = attempt.quiz
    quiz_activity = activity(
        page_activity_id(quiz, fallback=f"quizzes.quizpage/{quiz.pk}"),
        kind="assessment",
        name=quiz.title,
    )
    shown = next(
        (
            entry.get("options") or []
            for entry in attempt.question_order
            if isinstance(entry, dict) and entry.get("id") == question_id
        ),
        [],
    )
    definition, result = _question_definition(
        quiz.questions_by_id().get(question_id), attempt.answers[question_id], shown
    )
    obj = {
        "objectType": "Activity",
        "id": question_activity_id(quiz_activity["id"], question_id),
        "definition": definition,
    }
    return _statement(
        delivery=delivery,
        user=attempt.user,
        verb_name="answered",
        obj=obj,
        timestamp=attempt.submitted_at,
        result=result,
        course=attempt.enrollment.course,
        enrollment_id=attempt.enrollment_id,
        parent=quiz_activity,
        context_extensions={extension("quiz-attempt"): attempt.number},
    )


def _lesson_experienced_statement(delivery: Delivery) -> dict | None:
    enrollment_id, _sep, lesson_id = delivery.source_id.partition(":")
    enrollment = _enrollment(enrollment_id)
    if enrollment is None:
        return None
    lesson = Page.objects.filter(pk=lesson_id).first()
    obj = activity(
        page_activity_id(lesson, fallback=f"courses.lessonpage/{lesson_id}"),
        kind="lesson",
        name=lesson.title if lesson is not None else "",
    )
    return _statement(
        delivery=delivery,
        user=enrollment.user,
        verb_name="experienced",
        obj=obj,
        # When the learner had the lesson open long enough (the page's beacon): the delivery's.
        timestamp=delivery.created_at,
        course=enrollment.course,
        enrollment_id=enrollment.pk,
    )


_BUILDERS = {
    Delivery.Source.LEARNING_RECORD: _learning_record_statement,
    Delivery.Source.DEVELOPMENT_RECORD: _development_record_statement,
    Delivery.Source.PACKAGE_ATTEMPT: _package_attempt_statement,
    Delivery.Source.QUIZ_ANSWER: _quiz_answer_statement,
    Delivery.Source.LESSON_EXPERIENCED: _lesson_experienced_statement,
}


def statement_build(delivery: Delivery) -> dict | None:
    """The statement of a delivery, read from its source record now."""
    return _BUILDERS[delivery.source](delivery)
