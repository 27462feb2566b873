"""Coaching and mentoring: the two parties' agreements and their session logs."""

from django.urls import path

from coaching import views

app_name = "coaching"

urlpatterns = [
    path("saya/pembimbingan/", views.agreement_list, name="agreement_list"),
    path("saya/pembimbingan/baru/", views.agreement_create, name="agreement_create"),
    path("saya/pembimbingan/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("saya/pembimbingan/<int:pk>/terima/", views.agreement_accept, name="agreement_accept"),
    path("saya/pembimbingan/<int:pk>/akhiri/", views.agreement_end, name="agreement_end"),
    path("saya/pembimbingan/<int:pk>/sesi/baru/", views.session_log, name="session_log"),
    path(
        "saya/pembimbingan/<int:pk>/sesi/<int:session_id>/konfirmasi/",
        views.session_confirm,
        name="session_confirm",
    ),
]
