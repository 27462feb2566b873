"""Evaluation pages: reaction survey, course results, supervisor follow-up, learning needs,
the needs report and public feedback."""

from django.urls import path

from evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("saya/evaluasi/", views.evaluation_index, name="evaluation_index"),
    path("saya/evaluasi/<int:enrollment_id>/", views.evaluation_form, name="evaluation_form"),
    path(
        "saya/evaluasi/kursus/<int:course_id>/",
        views.course_evaluation,
        name="course_evaluation",
    ),
    path("saya/kebutuhan/", views.needs_list, name="needs_list"),
    path("saya/kebutuhan/<int:pk>/", views.need_edit, name="need_edit"),
    path("saya/kebutuhan/<int:pk>/ajukan/", views.need_submit, name="need_submit"),
    path("saya/kebutuhan/<int:pk>/hapus/", views.need_delete, name="need_delete"),
    path("saya/kebutuhan/pengesahan/", views.needs_endorsement, name="needs_endorsement"),
    path("saya/kebutuhan/laporan/", views.needs_report, name="needs_report"),
    path(
        "saya/kebutuhan/laporan.csv",
        views.needs_report,
        {"export": "csv"},
        name="needs_report_csv",
    ),
    path(
        "saya/kebutuhan/laporan.xlsx",
        views.needs_report,
        {"export": "xlsx"},
        name="needs_report_xlsx",
    ),
    path("tindak-lanjut/terima-kasih/", views.followup_thanks, name="followup_thanks"),
    path("tindak-lanjut/<str:token>/", views.followup_form, name="followup_form"),
    path("umpan-balik/", views.feedback_index, name="feedback_index"),
    path("umpan-balik/<slug:unit_slug>/", views.feedback_form, name="feedback_form"),
    path(
        "umpan-balik/<slug:unit_slug>/terima-kasih/",
        views.feedback_thanks,
        name="feedback_thanks",
    ),
]
