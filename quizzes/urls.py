"""Quiz pages outside the page tree: start, answer, submit and see the result of an attempt."""

from django.urls import path

from quizzes import views as quiz_views

app_name = "quizzes"

urlpatterns = [
    path("kuis/<int:quiz_id>/mulai/", quiz_views.attempt_start, name="attempt_start"),
    path("kuis/percobaan/<int:attempt_id>/", quiz_views.attempt_detail, name="attempt"),
    path(
        "kuis/percobaan/<int:attempt_id>/kirim/", quiz_views.attempt_submit, name="attempt_submit"
    ),
    path(
        "kuis/percobaan/<int:attempt_id>/hasil/", quiz_views.attempt_result, name="attempt_result"
    ),
]
