"""The trainer's dashboard (pelatih) and a learner's request to join a cohort (kelas)."""

from django.urls import path

from cohorts import member_views, views

app_name = "cohorts"

urlpatterns = [
    path("pelatih/", views.dashboard, name="dashboard"),
    path("pelatih/kelas/baru/", views.cohort_create, name="create"),
    path("pelatih/kelas/<int:cohort_id>/", views.cohort_detail, name="detail"),
    path("pelatih/kelas/<int:cohort_id>/ubah/", views.cohort_edit, name="edit"),
    path(
        "pelatih/kelas/<int:cohort_id>/peserta/",
        member_views.cohort_learners_add,
        name="learners_add",
    ),
    path(
        "pelatih/kelas/<int:cohort_id>/impor/<int:import_id>/",
        member_views.cohort_import,
        name="import",
    ),
    path("pelatih/kelas/<int:cohort_id>/pengingat/", views.cohort_remind, name="remind"),
    path(
        "pelatih/kelas/<int:cohort_id>/permintaan/",
        views.cohort_request_decide,
        name="request_decide",
    ),
    path(
        "pelatih/kelas/<int:cohort_id>/unduh.csv",
        views.cohort_export,
        {"file_format": "csv"},
        name="export_csv",
    ),
    path(
        "pelatih/kelas/<int:cohort_id>/unduh.xlsx",
        views.cohort_export,
        {"file_format": "xlsx"},
        name="export_xlsx",
    ),
    path(
        "pelatih/kelas/<int:cohort_id>/undangan/kirim-ulang/",
        member_views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "pelatih/kelas/<int:cohort_id>/undangan/batalkan/",
        member_views.invitation_cancel,
        name="invitation_cancel",
    ),
    path("kelas/<int:cohort_id>/gabung/", member_views.cohort_join, name="join"),
    path("kursus/<int:course_id>/gabung/", member_views.course_join, name="course_join"),
    path("undangan/<str:token>/", member_views.invitation_follow, name="invitation"),
]
