"""Existing organizations' editors and moderators may translate their pages, as
`courses.services.organization_setup` lets new ones (content.translation checks the page)."""

from django.db import migrations


def grant(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Organization = apps.get_model("content", "Organization")
    permission = Permission.objects.filter(
        content_type__app_label="wagtail_localize", codename="submit_translation"
    ).first()
    if permission is None:
        return
    for editors_id, moderators_id in Organization.objects.values_list(
        "editors_group_id", "moderators_group_id"
    ):
        for group_id in (editors_id, moderators_id):
            if group_id is not None:
                permission.group_set.add(group_id)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0010_competency_translatable"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
