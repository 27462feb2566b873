"""Change projects (proyek perubahan), the trainers' coach assignment (pelatih) and the public
innovation gallery (inovasi)."""

from django.urls import path

from projects import views

app_name = "projects"

urlpatterns = [
    path("proyek/", views.project_list, name="list"),
    path("proyek/baru/<int:enrollment_id>/", views.project_create, name="create"),
    path("proyek/<int:pk>/", views.project_detail, name="detail"),
    path("proyek/<int:pk>/ubah/", views.project_edit, name="edit"),
    path("proyek/<int:pk>/ajukan/", views.project_submit, name="submit"),
    path("proyek/<int:pk>/tinjau/", views.proposal_review, name="review"),
    path("proyek/<int:pk>/komentar/", views.comment_add, name="comment"),
    path(
        "proyek/<int:pk>/tahap/<int:milestone_id>/lapor/",
        views.milestone_report,
        name="milestone_report",
    ),
    path(
        "proyek/<int:pk>/tahap/<int:milestone_id>/tinjau/",
        views.milestone_review,
        name="milestone_review",
    ),
    path("proyek/<int:pk>/bukti/<int:evidence_id>/", views.evidence_download, name="evidence"),
    path("proyek/<int:pk>/laporan-akhir/", views.final_report, name="final_report"),
    path("proyek/<int:pk>/nilai/", views.assess, name="assess"),
    path("proyek/<int:pk>/publikasi/", views.publication, name="publication"),
    path(
        "proyek/<int:pk>/publikasi/setujui/",
        views.publication_approve,
        name="publication_approve",
    ),
    path(
        "proyek/<int:pk>/publikasi/tarik/", views.publication_withdraw, name="publication_withdraw"
    ),
    path("pelatih/kelas/<int:cohort_id>/proyek/", views.cohort_projects, name="cohort_projects"),
    path("inovasi/", views.gallery, name="gallery"),
    path("inovasi/<int:pk>/", views.gallery_detail, name="gallery_detail"),
]
