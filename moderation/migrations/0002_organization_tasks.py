"""The organizations' moderator approvals become course approvals, in place.

Each organization's workflow keeps its task (same id, groups, name and task states): the task
gains its `CourseModerationTask` row and content type, so requests in progress carry on, and a
course submitted from now on is reviewed with its changed modules and lessons.
"""

from django.db import migrations


def to_course_tasks(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Organization = apps.get_model("content", "Organization")
    Task = apps.get_model("wagtailcore", "Task")
    CourseModerationTask = apps.get_model("moderation", "CourseModerationTask")
    group_task, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    course_task, _ = ContentType.objects.get_or_create(
        app_label="moderation", model="coursemoderationtask"
    )
    tasks = Task.objects.filter(
        content_type=group_task,
        workflow_tasks__workflow_id__in=Organization.objects.exclude(workflow=None).values(
            "workflow_id"
        ),
    ).distinct()
    for task in tasks:
        CourseModerationTask(
            groupapprovaltask_ptr_id=task.pk,
            task_ptr_id=task.pk,
            name=task.name,
            active=task.active,
            content_type_id=course_task.pk,
        ).save_base(raw=True)
        Task.objects.filter(pk=task.pk).update(content_type=course_task)


def to_group_tasks(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Task = apps.get_model("wagtailcore", "Task")
    CourseModerationTask = apps.get_model("moderation", "CourseModerationTask")
    group_task, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    ids = list(CourseModerationTask.objects.values_list("pk", flat=True))
    Task.objects.filter(pk__in=ids).update(content_type=group_task)
    # Only the child rows: the task, its groups and its states stay.
    CourseModerationTask.objects.filter(pk__in=ids)._raw_delete(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0001_initial"),
        ("content", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(to_course_tasks, to_group_tasks)]
