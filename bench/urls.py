"""The project's URLs plus the bare Django baseline (only under `lentera.settings.bench`)."""

from django.urls import path

from bench.views import bare_bytes
from lentera.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("bench/bare/", bare_bytes, name="bench_bare"), *project_urlpatterns]
