"""Production settings never fall back silently: no SQLite file, no per-process cache when
several web workers share the rate limits."""

import json
import os
import secrets
import subprocess
import sys

from django.conf import settings

POSTGRES_URL = "postgres://lentera:secret@db.example.go.id:5432/lentera"
REDIS_URL = "redis://cache.example.go.id:6379/0"


def _load(**variables: str) -> subprocess.CompletedProcess:
    """Import the production settings in a fresh interpreter with only these variables set."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "WEB_CONCURRENCY", "DEBUG"}
    }
    environment |= {
        "DJANGO_SETTINGS_MODULE": "lentera.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "lentera.example.go.id",
        **variables,
    }
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'], "
        "'cache': settings.CACHES['default']['BACKEND']}))"
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


def test_several_web_workers_without_redis_are_refused():
    result = _load(DATABASE_URL=POSTGRES_URL, WEB_CONCURRENCY="4")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "REDIS_URL must be set" in result.stderr


def test_several_web_workers_share_the_redis_cache():
    result = _load(DATABASE_URL=POSTGRES_URL, WEB_CONCURRENCY="4", REDIS_URL=REDIS_URL)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "engine": "django.db.backends.postgresql",
        "cache": "django.core.cache.backends.redis.RedisCache",
    }


def test_one_web_worker_may_keep_the_local_cache():
    result = _load(DATABASE_URL=POSTGRES_URL)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "engine": "django.db.backends.postgresql",
        "cache": "django.core.cache.backends.locmem.LocMemCache",
    }
