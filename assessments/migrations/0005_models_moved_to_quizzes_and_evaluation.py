"""The quiz and evaluation models now belong to `quizzes` and `evaluation` (issue 15).

State only: the tables are theirs now (their 0001 took them over, their 0002 renames them), so
nothing is dropped here.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0004_evaluation_facilitation_not_applicable"),
        ("quizzes", "0001_initial"),
        ("evaluation", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="QuizAttempt"),
                migrations.DeleteModel(name="QuizPage"),
                migrations.DeleteModel(name="PublicFeedback"),
                migrations.DeleteModel(name="FeedbackAspect"),
                migrations.DeleteModel(name="ServiceUnit"),
                migrations.DeleteModel(name="LearningNeed"),
                migrations.DeleteModel(name="BehaviourFollowUp"),
                migrations.DeleteModel(name="CourseEvaluation"),
            ],
            database_operations=[],
        ),
    ]
