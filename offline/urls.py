"""The app's own files and the offline page.

Included once, inside i18n_patterns: Indonesian has no prefix, so the manifest and the service
worker are at the root (/manifest.webmanifest, /sw.js) where the whole site is their scope;
base.html and the page script name those root URLs, and the views refuse the /en/ copies. One
include keeps one `offline` namespace.
"""

from django.urls import path

from offline import views

app_name = "offline"

urlpatterns = [
    path("manifest.webmanifest", views.webmanifest, name="webmanifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("luring/", views.index, name="index"),
    path("luring/teks.json", views.strings, name="strings"),
]
