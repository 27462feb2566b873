"""The audit log moves from the privacy app to its own: the model changes app, its rows stay.

State only: the table `privacy_auditevent` is kept as it is (0002 renames it), so no row is
copied; privacy 0004 removes the model from privacy's state. The content type row (which the
model's permissions point at) changes app instead of being replaced, so its id and everything
referring to it survive.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODEL = "auditevent"


def _content_type_move(apps, schema_editor, *, source: str, destination: str) -> None:
    using = schema_editor.connection.alias
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    types = ContentType.objects.using(using)
    moved = types.filter(app_label=source, model=MODEL).first()
    if moved is None:
        return  # a new database: post_migrate creates the row under its new app
    early = types.filter(app_label=destination, model=MODEL).first()
    if early is not None:
        # post_migrate created a row under the destination before the move ran (a `migrate`
        # stopped short of it): the older row keeps its id, which permissions and logs refer
        # to; the early row's permissions that it duplicates go, any other follows it.
        kept = Permission.objects.using(using).filter(content_type=moved)
        duplicates = Permission.objects.using(using).filter(
            content_type=early, codename__in=kept.values("codename")
        )
        duplicates.delete()
        Permission.objects.using(using).filter(content_type=early).update(content_type=moved)
        early.delete()
    moved.app_label = destination
    moved.save(update_fields=["app_label"])


def content_type_forward(apps, schema_editor):
    _content_type_move(apps, schema_editor, source="privacy", destination="audit")


def content_type_backward(apps, schema_editor):
    _content_type_move(apps, schema_editor, source="audit", destination="privacy")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("content", "0002_national_competencies"),
        ("privacy", "0003_audit_membership_actions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEvent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "actor_label",
                            models.CharField(blank=True, max_length=255, verbose_name="actor"),
                        ),
                        (
                            "action",
                            models.CharField(
                                choices=[
                                    ("enrollment_changed", "Enrollment changed"),
                                    ("enrollment_decided", "Enrollment request decided"),
                                    ("certificate_revoked", "Certificate revoked"),
                                    ("export", "Report exported"),
                                    ("report_viewed", "Report viewed"),
                                    ("profile_edited", "Profile edited by staff"),
                                    ("record_viewed", "Record viewed by staff"),
                                    (
                                        "account_deleted",
                                        "Account deleted at the holder's request",
                                    ),
                                    ("data_exported", "Personal data downloaded by its holder"),
                                    ("cohort_trainers_changed", "Cohort trainers changed"),
                                    ("supervisor_link_decided", "Supervisor link decided by HR"),
                                    ("membership_decided", "Organization membership decided"),
                                    ("staff_list_imported", "Staff list imported"),
                                    ("nip_claim_decided", "NIP claim decided"),
                                ],
                                max_length=40,
                                verbose_name="action",
                            ),
                        ),
                        (
                            "target",
                            models.CharField(blank=True, max_length=255, verbose_name="object"),
                        ),
                        (
                            "detail",
                            models.JSONField(blank=True, default=dict, verbose_name="detail"),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="time"),
                        ),
                        (
                            "actor",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="actor",
                            ),
                        ),
                        (
                            "organization",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="content.organization",
                                verbose_name="organization",
                            ),
                        ),
                        (
                            "subject_user",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="audit_events_as_subject",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="data subject",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "audit event",
                        "verbose_name_plural": "audit events",
                        "ordering": ["-created_at", "-pk"],
                        "db_table": "privacy_auditevent",
                        "indexes": [
                            models.Index(
                                fields=["organization", "created_at"],
                                name="privacy_aud_organiz_88a7cd_idx",
                            ),
                            models.Index(
                                fields=["subject_user", "created_at"],
                                name="privacy_aud_subject_1a320a_idx",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_forward, content_type_backward),
    ]
