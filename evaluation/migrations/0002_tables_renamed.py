"""The tables taken over from `assessments` get this app's names (a rename, no copy; the
many-to-many tables follow their model's), and so do the learning needs' indexes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0001_initial"),
        ("assessments", "0005_models_moved_to_quizzes_and_evaluation"),
    ]

    operations = [
        migrations.AlterModelTable(name="feedbackaspect", table=None),
        migrations.AlterModelTable(name="learningneed", table=None),
        migrations.AlterModelTable(name="serviceunit", table=None),
        migrations.AlterModelTable(name="publicfeedback", table=None),
        migrations.AlterModelTable(name="behaviourfollowup", table=None),
        migrations.AlterModelTable(name="courseevaluation", table=None),
        migrations.RenameIndex(
            model_name="learningneed",
            new_name="evaluation__status_6c247b_idx",
            old_name="assessments_status_7416af_idx",
        ),
        migrations.RenameIndex(
            model_name="learningneed",
            new_name="evaluation__user_id_5ea80a_idx",
            old_name="assessments_user_id_16df97_idx",
        ),
    ]
