"""PostgreSQL connections have JIT compilation off (lentera.settings.base): it cost the
organization-wide compliance count at 50,000 staff more time than the query itself."""

import pytest
from django.db import connection

from lentera.settings.base import _without_jit


def test_jit_is_added_to_the_libpq_options_of_a_postgresql_url():
    config = {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"options": "-c search_path=a"}}
    assert _without_jit(config)["OPTIONS"]["options"] == "-c search_path=a -c jit=off"
    assert _without_jit({"ENGINE": "django.db.backends.postgresql"})["OPTIONS"] == {
        "options": "-c jit=off"
    }


def test_a_sqlite_database_is_left_alone():
    config = {"ENGINE": "django.db.backends.sqlite3", "OPTIONS": {"timeout": 20}}
    assert _without_jit(config) == {
        "ENGINE": "django.db.backends.sqlite3",
        "OPTIONS": {"timeout": 20},
    }


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite compiles nothing")
def test_the_postgresql_connection_runs_without_jit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
