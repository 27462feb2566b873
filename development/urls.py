"""Development outside courses: the learner's records, the verifier's queue, HR's rules, and the
JP ledger's files (every JP, courses and records)."""

from django.urls import path

from development import ledger_views, views

app_name = "development"

urlpatterns = [
    path("saya/jp.csv", ledger_views.jp_ledger_csv, name="jp_ledger_csv"),
    path("saya/siasn.csv", ledger_views.siasn_export_csv, name="siasn_export_csv"),
    path("saya/pengembangan/", views.record_list, name="record_list"),
    path("saya/pengembangan/baru/", views.record_create, name="record_create"),
    path("saya/pengembangan/<int:pk>/", views.record_detail, name="record_detail"),
    path("saya/pengembangan/<int:pk>/ubah/", views.record_edit, name="record_edit"),
    path(
        "saya/pengembangan/<int:pk>/bukti/<int:evidence_id>/",
        views.evidence_download,
        name="evidence_download",
    ),
    path(
        "saya/pengembangan/<int:pk>/bukti/<int:evidence_id>/hapus/",
        views.evidence_remove,
        name="evidence_remove",
    ),
    path("saya/pengembangan/verifikasi/", views.verification_queue, name="verification_queue"),
    path("saya/pengembangan/<int:pk>/putuskan/", views.record_decide, name="record_decide"),
    path("saya/pengembangan/<int:pk>/cabut/", views.record_revoke, name="record_revoke"),
    path("saya/pengembangan/aturan/", views.rule_list, name="rule_list"),
    path(
        "saya/pengembangan/aturan/<int:organization_id>/<int:form_id>/",
        views.rule_edit,
        name="rule_edit",
    ),
]
