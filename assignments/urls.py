"""Assignments: the learner's submission (tugas/.../kirim), submitted files (berkas), and the
trainers' grading queues and grading form (pelatih)."""

from django.urls import path

from assignments import views

app_name = "assignments"

urlpatterns = [
    path("tugas/<int:page_id>/kirim/", views.submit, name="submit"),
    path("tugas/berkas/<int:file_id>/", views.file_download, name="file"),
    path("pelatih/tugas/", views.trainer_queue, name="queue"),
    path("pelatih/kursus/<int:course_id>/tugas/", views.course_queue, name="course_queue"),
    path("pelatih/kelas/<int:cohort_id>/tugas/", views.cohort_queue, name="cohort_queue"),
    path("pelatih/tugas/<int:submission_id>/", views.grade, name="grade"),
]
