"""A person's notifications (notifikasi): the list, marking read (dibaca), the digest setting
(pengaturan)."""

from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("saya/notifikasi/", views.notification_list, name="list"),
    path("saya/notifikasi/<int:notification_id>/dibaca/", views.mark_read, name="mark_read"),
    path("saya/notifikasi/dibaca-semua/", views.mark_all_read, name="mark_all_read"),
    path("saya/notifikasi/pengaturan/", views.preferences, name="preferences"),
]
