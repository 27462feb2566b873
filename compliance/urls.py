"""The organization admin's JP compliance report, under /kepatuhan/ (the organization's
members, staff list and NIP claims share the prefix but belong to `learners.urls`)."""

from django.urls import path

from compliance import views

app_name = "compliance"

urlpatterns = [
    path("kepatuhan/", views.compliance_index, name="index"),
    path("kepatuhan/<int:organization_id>/", views.compliance_page, name="report"),
    path("kepatuhan/<int:organization_id>/unduh.csv", views.compliance_csv, name="report_csv"),
    path("kepatuhan/<int:organization_id>/unduh.xlsx", views.compliance_xlsx, name="report_xlsx"),
]
