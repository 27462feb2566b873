"""Discussions of courses and cohorts (diskusi), their threads (topik), posts (pesan), reports
(laporan) and cohort announcements (pengumuman); communities of practice (komunitas) with their
resources (sumber), events (acara) and participation claims (klaim)."""

from django.urls import path

from discussions import community_views, views

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
    path("komunitas/", community_views.community_list, name="communities"),
    path(
        "komunitas/sumber/<int:resource_id>/unduh/",
        community_views.resource_download,
        name="resource_download",
    ),
    path(
        "komunitas/sumber/<int:resource_id>/sembunyikan/",
        community_views.resource_hide,
        name="resource_hide",
    ),
    path(
        "komunitas/acara/<int:event_id>/batalkan/",
        community_views.event_cancel,
        name="event_cancel",
    ),
    path("komunitas/<slug:slug>/", community_views.community_detail, name="community"),
    path("komunitas/<slug:slug>/gabung/", community_views.community_join, name="community_join"),
    path("komunitas/<slug:slug>/keluar/", community_views.community_leave, name="community_leave"),
    path(
        "komunitas/<slug:slug>/sumber/",
        community_views.community_resources,
        name="community_resources",
    ),
    path("komunitas/<slug:slug>/acara/", community_views.community_events, name="community_events"),
    path(
        "komunitas/<slug:slug>/klaim/", community_views.participation_claim, name="community_claim"
    ),
]
