"""The project's URLs plus the bare Django baseline (ROOT_URLCONF of `lentera.settings.bench`).

It lives in `site/` because only the configuration may import `lentera.urls`: the `bench` app sits
below it and provides the view."""

from django.urls import path

from bench.views import bare_bytes
from lentera.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("bench/bare/", bare_bytes, name="bench_bare"), *project_urlpatterns]
