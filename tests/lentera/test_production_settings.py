"""Production settings never fall back silently: no SQLite file, no per-process cache, sessions
or task queue, no media folder of one machine's own."""

import json
import os
import secrets
import subprocess
import sys

from django.conf import settings

POSTGRES_URL = "postgres://lentera:secret@db.example.go.id:5432/lentera"
REDIS_URL = "redis://cache.example.go.id:6379/0"


def _load(**variables: str) -> subprocess.CompletedProcess:
    """Import the production settings in a fresh interpreter with only these variables set
    (the settings module alone, without loading Django's apps: about 2 s of CPU less a call)."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "DATABASE_REPLICA_URL",
            "DATABASE_REPLICA_URLS",
            "REDIS_URL",
            "DEBUG",
            "TASKS_BACKEND",
            "TASKS_REDIS_URL",
            "MEDIA_ROOT",
            "PRIVATE_MEDIA_ROOT",
        }
    }
    environment |= {
        "DJANGO_SETTINGS_MODULE": "lentera.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "lentera.example.go.id",
        **variables,
    }
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'], "
        "'cache': settings.CACHES['default']['BACKEND'], 'sessions': settings.SESSION_ENGINE, "
        "'tasks': settings.TASKS['default']['BACKEND'], "
        "'queue': settings.RQ_QUEUES['default']['URL'], "
        "'media': str(settings.MEDIA_ROOT), 'private': str(settings.PRIVATE_MEDIA_ROOT)}))"
    )
    return subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
        [sys.executable, "-c", code],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        cwd=settings.BASE_DIR,
    )


def test_production_settings_refuse_to_start_without_database_url():
    result = _load()
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DATABASE_URL must be set" in result.stderr


def test_production_settings_refuse_an_empty_database_url():
    result = _load(DATABASE_URL="")
    assert result.returncode != 0
    assert "DATABASE_URL must be set" in result.stderr


SHARED = {"MEDIA_ROOT": "/srv/shared/media", "PRIVATE_MEDIA_ROOT": "/srv/shared/private-media"}


def test_production_settings_refuse_to_start_without_redis():
    result = _load(DATABASE_URL=POSTGRES_URL, **SHARED)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "REDIS_URL must be set" in result.stderr


def test_production_settings_refuse_media_folders_of_the_checkout():
    for missing in SHARED:
        present = {key: value for key, value in SHARED.items() if key != missing}
        result = _load(DATABASE_URL=POSTGRES_URL, REDIS_URL=REDIS_URL, **present)
        assert result.returncode != 0
        assert f"{missing} must be set" in result.stderr


def test_cache_sessions_and_task_queue_on_redis_files_on_the_shared_folders():
    result = _load(DATABASE_URL=POSTGRES_URL, REDIS_URL=REDIS_URL, **SHARED)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "engine": "django.db.backends.postgresql",
        "cache": "core.cache.RedisCache",
        "sessions": "django.contrib.sessions.backends.cached_db",
        "tasks": "core.task_rq.RQBackend",
        "queue": REDIS_URL,
        "media": "/srv/shared/media",
        "private": "/srv/shared/private-media",
    }


def test_the_database_queue_and_a_queue_redis_of_its_own_may_be_chosen():
    result = _load(
        DATABASE_URL=POSTGRES_URL,
        REDIS_URL=REDIS_URL,
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        TASKS_REDIS_URL="redis://queue.example.go.id:6379/0",
        **SHARED,
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded["tasks"] == "django_tasks_db.DatabaseBackend"
    assert loaded["queue"] == "redis://queue.example.go.id:6379/0"
