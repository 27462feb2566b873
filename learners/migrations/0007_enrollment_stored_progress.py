from django.db import migrations, models
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def count_stored_progress(apps, schema_editor):
    """Fill the new columns as `learners.progress.recount_progress` counts them (historical
    models: the same UPDATE per course, written against this migration's state)."""
    Enrollment = apps.get_model("learners", "Enrollment")
    LessonCompletion = apps.get_model("learners", "LessonCompletion")
    CoursePage = apps.get_model("courses", "CoursePage")
    LessonPage = apps.get_model("courses", "LessonPage")
    completions = LessonCompletion.objects.filter(enrollment=OuterRef("pk")).order_by()
    last_completed = Subquery(completions.order_by("-completed_at").values("completed_at")[:1])
    course_ids = set(Enrollment.objects.order_by().values_list("course_id", flat=True).distinct())
    for course in CoursePage.objects.filter(pk__in=course_ids).only("pk", "path", "depth"):
        required = list(
            LessonPage.objects.filter(
                live=True,
                required_for_completion=True,
                path__startswith=course.path,
                depth__gt=course.depth,
            ).values_list("pk", flat=True)
        )
        done = (
            Coalesce(
                Subquery(
                    completions.filter(lesson_id__in=required)
                    .values("enrollment")
                    .annotate(count=Count("pk"))
                    .values("count")[:1],
                    output_field=IntegerField(),
                ),
                Value(0),
            )
            if required
            else Value(0)
        )
        Enrollment.objects.filter(course_id=course.pk).update(
            required_total=len(required), required_done=done, last_completed_at=last_completed
        )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0005_video_captions"),
        ("learners", "0006_lesson_completion_source_package"),
    ]

    operations = [
        migrations.AddField(
            model_name="enrollment",
            name="last_completed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="enrollment",
            name="required_done",
            field=models.PositiveIntegerField(db_default=0, default=0, editable=False),
        ),
        migrations.AddField(
            model_name="enrollment",
            name="required_total",
            field=models.PositiveIntegerField(db_default=0, default=0, editable=False),
        ),
        migrations.RunPython(count_stored_progress, migrations.RunPython.noop, elidable=True),
    ]
