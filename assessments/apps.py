from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    """The migration history of the former `assessments` app, which became `quizzes` and
    `evaluation` (issue 15).

    Why it is still installed: databases created before the split record assessments' migrations
    in `django_migrations`, and `quizzes/0001` and `evaluation/0001` depend on its last migration,
    which took the tables over (state only) and then handed them to the new apps. Without this
    app Django would find those dependencies missing. It holds nothing else and nothing imports
    it.

    When it can go: once every deployed database has applied `assessments.0005` (and the new
    apps' table renames), squash or reset the new apps' initial migrations so they no longer
    depend on it, then remove the app and its rows in `django_migrations`.
    """

    name = "assessments"
    label = "assessments"
