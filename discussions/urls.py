"""Discussions of courses and cohorts (diskusi), their threads (topik), posts (pesan), reports
(laporan) and cohort announcements (pengumuman)."""

from django.urls import path

from discussions import views

app_name = "discussions"

urlpatterns = [
    path("diskusi/kursus/<int:course_id>/", views.course_discussion, name="course"),
    path("diskusi/kelas/<int:cohort_id>/", views.cohort_discussion, name="cohort"),
    path(
        "diskusi/kelas/<int:cohort_id>/pengumuman/",
        views.announcement_create,
        name="announcement_create",
    ),
    path("diskusi/topik/<int:thread_id>/", views.thread_detail, name="thread"),
    path("diskusi/topik/<int:thread_id>/terima/", views.answer_accept, name="accept"),
    path("diskusi/topik/<int:thread_id>/kunci/", views.thread_lock, name="lock"),
    path("diskusi/pesan/<int:post_id>/sembunyikan/", views.post_hide, name="hide"),
    path("diskusi/pesan/<int:post_id>/laporkan/", views.post_report, name="report"),
    path("diskusi/laporan/", views.reports, name="reports"),
    path("diskusi/laporan/<int:report_id>/selesai/", views.report_dismiss, name="report_dismiss"),
]
