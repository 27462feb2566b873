"""Settings for the benchmarks (`make bench`, `make bench-load`): the base settings with debug off
(cached templates, no query log) as in production, plus the `bench` app's bare baselines."""

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, INSTALLED_APPS

DEBUG = False
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "lentera.bench_urls"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]

# 404s and redirects of the measured requests would only add noise to the output.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "ERROR"},
}
