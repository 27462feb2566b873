"""Learner pages: my learning, enrollment and progress actions, profile, certificates, and the
organization admin's members, staff list and NIP claims (beside the JP compliance report of
`compliance.urls`, under the same /kepatuhan/ prefix)."""

from django.urls import path

from learners import (
    account_views,
    certificate_views,
    membership_views,
    supervisor_views,
    views,
)

app_name = "learners"

urlpatterns = [
    path("saya/", views.my_learning, name="my_learning"),
    path("saya/profil/", account_views.profile, name="profile"),
    path("saya/persetujuan/", views.enrollment_requests, name="enrollment_requests"),
    path("saya/atasan/", supervisor_views.supervisor_requests, name="supervisor_requests"),
    path("kursus/<int:course_id>/daftar/", views.enroll, name="enroll"),
    path("kursus/<int:course_id>/keluar/", views.withdraw, name="withdraw"),
    path("pelajaran/<int:lesson_id>/selesai/", views.complete_lesson, name="complete_lesson"),
    path("sertifikat/<str:code>/", certificate_views.verify, name="certificate_verify"),
    path("sertifikat/<str:code>/pdf/", certificate_views.download_pdf, name="certificate_pdf"),
    path("akun/nip-dipakai/", membership_views.nip_help, name="nip_help"),
    path("kepatuhan/<int:organization_id>/anggota/", membership_views.members, name="members"),
    path(
        "kepatuhan/<int:organization_id>/anggota/<int:user_id>/",
        membership_views.member_decide,
        name="member_decide",
    ),
    path(
        "kepatuhan/<int:organization_id>/anggota/daftar-pegawai/",
        membership_views.staff_list_import,
        name="staff_list_import",
    ),
    path(
        "kepatuhan/<int:organization_id>/anggota/atasan/",
        membership_views.supervisor_links_import,
        name="supervisor_links_import",
    ),
    path(
        "kepatuhan/<int:organization_id>/klaim-nip/<int:claim_id>/",
        membership_views.nip_claim_decide,
        name="nip_claim_decide",
    ),
]
