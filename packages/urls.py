"""URLs of the package origin (`packages.middleware` serves them there only; the site 404s them).

Unprefixed by language: a package's files have one address whatever the interface language.
"""

from django.urls import path

from packages import offline_views, views

app_name = "packages"

urlpatterns = [
    path("paket/<uuid:uuid>/putar/", views.player, name="player"),
    path("paket/<uuid:uuid>/f/<path:path>", views.package_file, name="file"),
    # Saving packages for offline use (H6, packages.offline_views).
    path("paket/sw.js", offline_views.package_service_worker, name="service_worker"),
    path("paket/simpan/", offline_views.save_page, name="save"),
]
