"""Splitting `assessments` into `quizzes` and `evaluation` (issue 15) moves tables, never rows.

On a database holding the demo data, the migrations are taken back to before the split
(`assessments` 0004), rows are added there through the historical models, and the migrations
are applied again: every row, many-to-many link and content type id survives, the tables carry
the new apps' names, and a quiz page still resolves `.specific` and renders. Runs on SQLite and
PostgreSQL alike (`DATABASE_URL`).
"""

import io

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from wagtail.models import Page

from evaluation.models import (
    BehaviourFollowUp,
    CourseEvaluation,
    FeedbackAspect,
    LearningNeed,
    PublicFeedback,
    ServiceUnit,
)
from quizzes.models import QuizAttempt, QuizPage

# serialized_rollback: the next transactional tests find the database as migrations left it
# (Wagtail's root page, content type ids), as after every other transactional test here.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE_SPLIT = [
    ("assessments", "0004_evaluation_facilitation_not_applicable"),
    ("quizzes", None),
    ("evaluation", None),
]
MOVED = {
    "quizzes": [QuizPage, QuizAttempt],
    "evaluation": [
        CourseEvaluation,
        BehaviourFollowUp,
        LearningNeed,
        ServiceUnit,
        FeedbackAspect,
        PublicFeedback,
    ],
}
# Many-to-many tables, which follow their model's table.
LINKS = {
    "feedbackaspect_competencies": FeedbackAspect.competencies.through,
    "publicfeedback_aspects": PublicFeedback.aspects.through,
}


def migrate(targets):
    """Migrate to `targets` and return the historical apps there."""
    executor = MigrationExecutor(connection)
    return executor.migrate(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def tables() -> set[str]:
    return set(connection.introspection.table_names())


def content_type_ids() -> dict[str, int]:
    return {
        f"{ct.app_label}.{ct.model}": ct.pk
        for ct in ContentType.objects.filter(
            model__in=[model._meta.model_name for models in MOVED.values() for model in models]
        )
    }


def test_the_split_keeps_every_row_link_and_content_type_on_the_demo_data(client, settings):
    # The demo's background tasks stay queued (certificate PDFs, compliance figures, notices,
    # progress counts: a third of this test's time, on commit): none writes a moved app's row.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    call_command("seed_demo", stdout=io.StringIO())
    quiz = QuizPage.objects.filter(live=True).order_by("pk").first()
    assert quiz is not None and QuizAttempt.objects.exists() and CourseEvaluation.objects.exists()
    assert FeedbackAspect.competencies.through.objects.exists()
    assert PublicFeedback.aspects.through.objects.exists()
    before = {label: model.objects.count() for label, model in _flat().items()}
    before |= {label: through.objects.count() for label, through in LINKS.items()}
    type_ids = content_type_ids()
    quiz_type_id = quiz.content_type_id
    revisions = quiz.revisions.count()

    try:
        old = migrate(BEFORE_SPLIT)

        # Before the split: assessments' tables, labels and rows, all of them.
        assert "assessments_quizattempt" in tables() and "quizzes_quizattempt" not in tables()
        assert "assessments_feedbackaspect_competencies" in tables()
        assert ContentType.objects.get(pk=quiz_type_id).app_label == "assessments"
        assert {key.replace("assessments.", ""): pk for key, pk in content_type_ids().items()} == {
            key.split(".")[1]: pk for key, pk in type_ids.items()
        }
        assert _historical_counts(old, "assessments") == before

        # Rows written while the old code ran: an attempt, a service unit with feedback.
        added = _rows_added_before_the_split(old)
        # `migrate` run for another app creates the new labels' content types before the
        # split has run (post_migrate); the split must take them over, not trip on them.
        early = ContentType.objects.create(app_label="quizzes", model="quizattempt")
        duplicate = Permission.objects.create(
            content_type=early, codename="view_quizattempt", name="Can view quiz attempt"
        )
        extra = Permission.objects.create(
            content_type=early, codename="export_quizattempt", name="Can export quiz attempts"
        )
        Group.objects.create(name="Early group").permissions.add(duplicate)
    finally:
        migrate(latest())
        # The content type cache stays warm and right (the ids never changed): the next
        # test's serialized rollback relies on it to create no content type of its own.
        ContentType.objects.get_for_models(*django_apps.get_models())

    # After: the new apps' tables only, every row (and the ones added in between) in them.
    names = tables()
    assert not {name for name in names if name.startswith("assessments_")}
    assert {"quizzes_quizpage", "quizzes_quizattempt", "evaluation_learningneed"} <= names
    assert {"evaluation_feedbackaspect_competencies", "evaluation_publicfeedback_aspects"} <= names
    after = {label: model.objects.count() for label, model in _flat().items()}
    after |= {label: through.objects.count() for label, through in LINKS.items()}
    assert after == {label: count + added.get(label, 0) for label, count in before.items()}

    # The same content type rows, relabelled: pages, revisions and permissions still match.
    assert content_type_ids() == type_ids
    assert not ContentType.objects.filter(app_label="assessments").exists()
    assert not ContentType.objects.filter(pk=early.pk).exists()
    attempt_type = ContentType.objects.get_for_model(QuizAttempt)
    assert (
        Permission.objects.filter(content_type=attempt_type, codename="view_quizattempt").count()
        == 1
    )
    assert Permission.objects.get(pk=extra.pk).content_type == attempt_type
    page = Page.objects.get(pk=quiz.pk)
    assert page.content_type_id == quiz_type_id
    assert page.content_type.app_label == "quizzes"
    assert isinstance(page.specific, QuizPage)
    assert page.specific.questions_asked == quiz.questions_asked
    assert page.specific.revisions.count() == revisions
    response = client.get(page.url)
    assert response.status_code == 200
    assert quiz.title in response.content.decode()


def _flat() -> dict:
    return {model.__name__: model for models in MOVED.values() for model in models}


def _historical_counts(apps, app_label: str) -> dict[str, int]:
    result = {name: apps.get_model(app_label, name).objects.count() for name in _flat()}
    result["feedbackaspect_competencies"] = apps.get_model(
        app_label, "FeedbackAspect"
    ).competencies.through.objects.count()
    result["publicfeedback_aspects"] = apps.get_model(
        app_label, "PublicFeedback"
    ).aspects.through.objects.count()
    return result


def _rows_added_before_the_split(apps) -> dict[str, int]:
    """Rows created through assessments' historical models, as the old code would have."""
    Attempt = apps.get_model("assessments", "QuizAttempt")
    template = Attempt.objects.filter(status="submitted").order_by("pk").first()
    last = (
        Attempt.objects.filter(enrollment_id=template.enrollment_id, quiz_id=template.quiz_id)
        .order_by("-number")
        .first()
    )
    Attempt.objects.create(
        user_id=template.user_id,
        quiz_id=template.quiz_id,
        enrollment_id=template.enrollment_id,
        number=last.number + 1,
        status="submitted",
        started_at=timezone.now(),
        submitted_at=timezone.now(),
        score=50,
        points=1,
        max_points=2,
    )
    Unit = apps.get_model("assessments", "ServiceUnit")
    Aspect = apps.get_model("assessments", "FeedbackAspect")
    Feedback = apps.get_model("assessments", "PublicFeedback")
    existing = Unit.objects.order_by("pk").first()
    unit = Unit.objects.create(
        organization_id=existing.organization_id, name="Loket split", slug="loket-split"
    )
    aspect = Aspect.objects.create(organization_id=existing.organization_id, name="Split aspect")
    aspect.competencies.set(apps.get_model("content", "Competency").objects.order_by("pk")[:2])
    feedback = Feedback.objects.create(unit=unit, rating=2, comment="Antrean lama.")
    feedback.aspects.add(aspect)
    return {
        "QuizAttempt": 1,
        "ServiceUnit": 1,
        "FeedbackAspect": 1,
        "PublicFeedback": 1,
        "feedbackaspect_competencies": 2,
        "publicfeedback_aspects": 1,
    }
