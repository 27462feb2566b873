"""Privacy pages: the notice, a person's own data (download, deletion) and the audit log."""

from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("privasi/", views.privacy_notice, name="notice"),
    path("saya/data/unduh/", views.data_download, name="data_download"),
    path("saya/hapus-akun/", views.account_delete, name="account_delete"),
    path("privasi/audit/", views.audit_index, name="audit_index"),
    path("privasi/audit/semua/", views.audit_log_all, name="audit_log_all"),
    path("privasi/audit/<int:organization_id>/", views.audit_log, name="audit_log"),
]
