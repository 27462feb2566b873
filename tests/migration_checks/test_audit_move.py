"""The audit log's move from privacy to its own app (issue 15) keeps every event.

The migrations are taken back to before the move (privacy 0003), events are written there
through privacy's historical model as the old code did, and the migrations are applied again:
the events are read back through `audit.models.AuditEvent` with their people and organization,
the table and its indexes carry the audit app's names, the content type keeps its id, and new
events still get ids. Runs on SQLite and PostgreSQL alike (`DATABASE_URL`).
"""

from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from audit.models import AuditEvent
from audit.selectors import audit_events
from audit.services import Action, audit_record
from content.factories import OrganizationFactory
from learners.factories import UserFactory

# serialized_rollback: a transactional test run earlier flushed what the migrations create (the
# root collection an organization hangs its own under); this test needs it back.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE_MOVE = [("privacy", "0003_audit_membership_actions"), ("audit", None)]


def migrate(targets):
    """Migrate to `targets` and return the historical apps there."""
    state = MigrationExecutor(connection).migrate(targets)
    ContentType.objects.clear_cache()
    return state.apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def tables() -> set[str]:
    return set(connection.introspection.table_names())


def index_names(table: str) -> set[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {name for name, info in constraints.items() if info["index"] and not info["primary_key"]}


def test_the_move_keeps_every_event_its_links_and_its_content_type():
    organization = OrganizationFactory()
    admin = UserFactory(full_name="Admin SDM", organization=organization)
    learner = UserFactory(full_name="Peserta Satu", organization=organization)
    kept = audit_record(admin, Action.PROFILE_EDITED, organization=organization, subject=learner)
    type_id = ContentType.objects.get_for_model(AuditEvent).pk
    view_permission = Permission.objects.get(content_type_id=type_id, codename="view_auditevent")

    try:
        old = migrate(BEFORE_MOVE)

        # Before the move: privacy's table, label and rows.
        assert "privacy_auditevent" in tables() and "audit_auditevent" not in tables()
        assert {"privacy_aud_organiz_88a7cd_idx", "privacy_aud_subject_1a320a_idx"} <= index_names(
            "privacy_auditevent"
        )
        assert ContentType.objects.get(pk=type_id).app_label == "privacy"
        OldEvent = old.get_model("privacy", "AuditEvent")
        assert OldEvent.objects.get().subject_user_id == learner.pk

        # Events written by the old code, one per kind of link.
        written_at = timezone.now() - timedelta(days=3)
        exported = OldEvent.objects.create(
            actor_id=admin.pk,
            actor_label=str(admin),
            organization_id=organization.pk,
            action="export",
            target="Laporan kepatuhan",
            detail={"format": "csv", "unit": None},
        )
        deleted = OldEvent.objects.create(
            actor_id=learner.pk,
            actor_label=str(learner),
            organization_id=organization.pk,
            action="account_deleted",
            subject_user_id=learner.pk,
            detail={"certificates_kept": 2},
        )
        OldEvent.objects.filter(pk=exported.pk).update(created_at=written_at)

        # `migrate` run for another app creates the audit label's content type before the move
        # has run (post_migrate): the move takes it over instead of tripping on it.
        early = ContentType.objects.create(app_label="audit", model="auditevent")
        Permission.objects.create(
            content_type=early, codename="view_auditevent", name="Can view audit event"
        )
        extra = Permission.objects.create(
            content_type=early, codename="export_auditevent", name="Can export audit events"
        )
        Group.objects.create(name="Auditors").permissions.add(extra)
    finally:
        migrate(latest())
        # A warm, right content type cache (the ids never changed): the next test's serialized
        # rollback relies on it to create no content type of its own before it restores them.
        ContentType.objects.get_for_models(*django_apps.get_models())

    # After: the audit app's table and index names, no trace of privacy's.
    names = tables()
    assert "audit_auditevent" in names and "privacy_auditevent" not in names
    assert {"audit_audit_organiz_4fc53a_idx", "audit_audit_subject_ca72fb_idx"} <= index_names(
        "audit_auditevent"
    )

    # Every event, readable through the new model with its links and detail.
    assert AuditEvent.objects.count() == 3
    moved = AuditEvent.objects.select_related("actor", "subject_user", "organization")
    assert moved.get(pk=kept.pk).subject_user == learner
    export = moved.get(pk=exported.pk)
    assert (export.actor, export.organization, export.action) == (admin, organization, "export")
    assert export.detail == {"format": "csv", "unit": None}
    assert export.detail_shown == [("format", "csv")]
    assert abs(export.created_at - written_at) < timedelta(seconds=1)
    assert moved.get(pk=deleted.pk).action == Action.ACCOUNT_DELETED
    assert list(audit_events(organization_id=organization.pk, action="export")) == [export]

    # The same content type row, relabelled; the early row's permissions merged into it.
    assert ContentType.objects.get_for_model(AuditEvent).pk == type_id
    assert not ContentType.objects.filter(app_label="privacy", model="auditevent").exists()
    assert not ContentType.objects.filter(pk=early.pk).exists()
    assert Permission.objects.get(pk=view_permission.pk).content_type_id == type_id
    assert (
        Permission.objects.filter(content_type_id=type_id, codename="view_auditevent").count() == 1
    )
    assert Permission.objects.get(pk=extra.pk).content_type_id == type_id
    assert Group.objects.get(name="Auditors").permissions.get() == Permission.objects.get(
        pk=extra.pk
    )

    # New events still get fresh ids (the id sequence followed the table).
    newest = audit_record(admin, Action.REPORT_VIEWED, organization=organization)
    assert newest.pk > max(kept.pk, exported.pk, deleted.pk)
    assert AuditEvent.objects.count() == 4
