"""The tables taken over from `assessments` get this app's names (a rename, no copy)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0001_initial"),
        ("assessments", "0005_models_moved_to_quizzes_and_evaluation"),
    ]

    operations = [
        migrations.AlterModelTable(name="quizpage", table=None),
        migrations.AlterModelTable(name="quizattempt", table=None),
    ]
