"""The organization admin's JP compliance report, under /kepatuhan/ (the organization's
members, staff list and NIP claims share the prefix but belong to `learners.urls`)."""

from django.urls import path

from compliance import staff_views, views

app_name = "compliance"

urlpatterns = [
    path("kepatuhan/", views.compliance_index, name="index"),
    path("kepatuhan/<int:organization_id>/", views.compliance_page, name="report"),
    path("kepatuhan/<int:organization_id>/unduh.csv", views.compliance_csv, name="report_csv"),
    path("kepatuhan/<int:organization_id>/unduh.xlsx", views.compliance_xlsx, name="report_xlsx"),
    path(
        "kepatuhan/<int:organization_id>/pegawai/<int:person_id>/",
        staff_views.person_detail,
        name="person",
    ),
    path(
        "kepatuhan/<int:organization_id>/pengingat/",
        staff_views.reminders_send,
        name="reminders",
    ),
    path("kepatuhan/<int:organization_id>/siasn/", staff_views.siasn_export, name="siasn"),
    path(
        "kepatuhan/<int:organization_id>/siasn.csv",
        staff_views.siasn_export_csv,
        name="siasn_csv",
    ),
    path(
        "kepatuhan/<int:organization_id>/siasn.xlsx",
        staff_views.siasn_export_xlsx,
        name="siasn_xlsx",
    ),
]
