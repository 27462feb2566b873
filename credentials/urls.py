"""Open Badges credentials: issuer profiles, status lists, downloads and verification."""

from django.urls import path, re_path

from credentials import views

app_name = "credentials"

urlpatterns = [
    path("kredensial/penerbit/<slug:slug>/", views.issuer, name="issuer"),
    path("kredensial/status/<slug:slug>/<int:number>/", views.status_list, name="status_list"),
    path("kredensial/verifikasi/", views.verify, name="verify"),
    re_path(
        r"^kredensial/sertifikat/(?P<code>[\w-]{1,64})\.(?P<fmt>json|png)$",
        views.certificate_credential,
        name="certificate",
    ),
    re_path(
        r"^kredensial/sertifikat-jalur/(?P<code>[\w-]{1,64})\.(?P<fmt>json|png)$",
        views.path_certificate_credential,
        name="path_certificate",
    ),
]
