"""The audit log's table and indexes take the audit app's names (privacy_auditevent ->
audit_auditevent): a rename in place on SQLite and PostgreSQL, the rows untouched."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("privacy", "0004_auditevent_moved_to_audit"),
    ]

    operations = [
        migrations.AlterModelTable(name="auditevent", table=None),
        migrations.RenameIndex(
            model_name="auditevent",
            new_name="audit_audit_organiz_4fc53a_idx",
            old_name="privacy_aud_organiz_88a7cd_idx",
        ),
        migrations.RenameIndex(
            model_name="auditevent",
            new_name="audit_audit_subject_ca72fb_idx",
            old_name="privacy_aud_subject_1a320a_idx",
        ),
    ]
