"""A course request's pages hang on Wagtail's own `TaskState`, and the `TaskState` subclass goes.

Wagtail e-mails a task's moderators for `TaskState` senders only and names its e-mail templates
after the state's class, so a subclass left the organizations' moderators without the e-mail of
a new request. A subclass row shares its id with its `TaskState`, so the pages keep pointing at
the same states.
"""

import django.db.models.deletion
from django.db import migrations, models


def to_wagtails_task_states(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    TaskState = apps.get_model("wagtailcore", "TaskState")
    course_state = ContentType.objects.filter(
        app_label="moderation", model="coursemoderationtaskstate"
    ).first()
    if course_state is None:
        return
    task_state, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="taskstate")
    TaskState.objects.filter(content_type=course_state).update(content_type=task_state)


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0002_organization_tasks"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(to_wagtails_task_states, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="coursemoderationitem",
            name="task_state",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="moderation_items",
                to="wagtailcore.taskstate",
            ),
        ),
        migrations.DeleteModel(name="CourseModerationTaskState"),
    ]
