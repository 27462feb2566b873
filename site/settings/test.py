"""Test settings: base settings made fast and hermetic (no worker, no network, no disk litter)."""

import os
import tempfile

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="lentera-test-private-")
# Tests render templates without running collectstatic first.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = tempfile.mkdtemp(prefix="lentera-test-media-")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
WAGTAILADMIN_BASE_URL = "http://testserver"
# Serve static files from the apps' folders; tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# Saving a page or a course indexes it for search in the same breath (an immediate task): a
# quarter of the time of building a test's pages. Tests that search turn it back on with the
# `search_index` fixture (tests/conftest.py).
WAGTAILSEARCH_BACKENDS = {"default": {**WAGTAILSEARCH_BACKENDS["default"], "AUTO_UPDATE": False}}  # noqa: F405

# Browser tests: the live server answers from its own threads while the test reads and flushes
# the database. Django's shared in-memory SQLite refuses a second writer at once ("database
# table is locked"); a file waits its turn (WAL and the timeout of the base settings).
# `make e2e` names one.
_TEST_SQLITE_FILE = os.environ.get("LENTERA_TEST_SQLITE_FILE")
if _TEST_SQLITE_FILE and DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": _TEST_SQLITE_FILE}  # noqa: F405

# One database for the suite, even when DATABASE_REPLICA_URL names a replica: tests/replica turn
# the router and its middleware on for their own tests. On PostgreSQL the alias `replica` always
# exists (the replica `make replica` starts, unless DATABASE_REPLICA_URL names another), mirroring
# the primary's test database; only tests/replica connect to the real replica.
DATABASE_ROUTERS = []
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES.setdefault(  # noqa: F405
        "replica",
        {
            **DATABASES["default"],  # noqa: F405
            "HOST": "127.0.0.1",
            "PORT": 5433,
            "TEST": {"MIRROR": "default"},
        },
    )
