"""A cohort's live sessions (sesi), the trainer's forms for them (pelatih), attendance
(kehadiran), and each person's calendar (kalender)."""

from django.urls import path

from live import views

app_name = "live"

urlpatterns = [
    path("kelas/<int:cohort_id>/sesi/", views.cohort_sessions, name="cohort_sessions"),
    path("sesi/<int:session_id>/kalender.ics", views.session_ics, name="session_ics"),
    path("pelatih/kelas/<int:cohort_id>/sesi/baru/", views.session_create, name="session_create"),
    path("pelatih/sesi/<int:session_id>/ubah/", views.session_edit, name="session_edit"),
    path("pelatih/sesi/<int:session_id>/batalkan/", views.session_cancel, name="session_cancel"),
    path("pelatih/sesi/<int:session_id>/kehadiran/", views.attendance, name="attendance"),
    path("kalender/", views.calendar_page, name="calendar"),
    path("kalender/perbarui/", views.calendar_renew, name="calendar_renew"),
    path("kalender/cabut/", views.calendar_revoke, name="calendar_revoke"),
    path("kalender/<slug:token>.ics", views.feed, name="feed"),
]
