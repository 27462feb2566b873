"""Evaluation pages: reaction survey, course results, supervisor follow-up, learning needs,
the needs report and public feedback."""

from django.urls import path

from evaluation.views import feedback, needs, results

app_name = "evaluation"

urlpatterns = [
    path("saya/evaluasi/", results.evaluation_index, name="evaluation_index"),
    path("saya/evaluasi/<int:enrollment_id>/", results.evaluation_form, name="evaluation_form"),
    path(
        "saya/evaluasi/kursus/<int:course_id>/",
        results.course_evaluation,
        name="course_evaluation",
    ),
    path("saya/kebutuhan/", needs.needs_list, name="needs_list"),
    path("saya/kebutuhan/<int:pk>/", needs.need_edit, name="need_edit"),
    path("saya/kebutuhan/<int:pk>/ajukan/", needs.need_submit, name="need_submit"),
    path("saya/kebutuhan/<int:pk>/hapus/", needs.need_delete, name="need_delete"),
    path("saya/kebutuhan/pengesahan/", needs.needs_endorsement, name="needs_endorsement"),
    path("saya/kebutuhan/laporan/", needs.needs_report, name="needs_report"),
    path(
        "saya/kebutuhan/laporan.csv",
        needs.needs_report,
        {"export": "csv"},
        name="needs_report_csv",
    ),
    path(
        "saya/kebutuhan/laporan.xlsx",
        needs.needs_report,
        {"export": "xlsx"},
        name="needs_report_xlsx",
    ),
    path("tindak-lanjut/terima-kasih/", results.followup_thanks, name="followup_thanks"),
    path("tindak-lanjut/<str:token>/", results.followup_form, name="followup_form"),
    path("umpan-balik/", feedback.feedback_index, name="feedback_index"),
    path("umpan-balik/<slug:unit_slug>/", feedback.feedback_form, name="feedback_form"),
    path(
        "umpan-balik/<slug:unit_slug>/terima-kasih/",
        feedback.feedback_thanks,
        name="feedback_thanks",
    ),
]
