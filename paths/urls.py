"""Learning paths: the list, following and leaving, and the path certificates."""

from django.urls import path

from paths import views

app_name = "paths"

urlpatterns = [
    path("jalur-belajar/", views.path_list, name="path_list"),
    path("jalur-belajar/<int:pk>/ikuti/", views.follow, name="follow"),
    path("jalur-belajar/<int:pk>/tinggalkan/", views.leave, name="leave"),
    path("sertifikat-jalur/<str:code>/", views.verify, name="certificate_verify"),
    path("sertifikat-jalur/<str:code>/pdf/", views.download_pdf, name="certificate_pdf"),
]
