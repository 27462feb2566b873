"""Helpers shared by the tests."""

import codecs
import csv
import io
import threading
from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.exports import csv_cell_text

#: The two organizations nearly every test works with (the `provider_a` and `provider_b`
#: fixtures), each set up with its sections, groups and workflow (`organization_setup`: two
#: published pages, ~100 queries) once in the test database (`django_db_setup` in
#: tests/conftest.py) rather than in each test: a sixth of the suite's CPU.
PROVIDERS = {
    "a": {"name": "Lembaga Pelatihan A", "short_name": "LPA", "slug": "lpa"},
    "b": {"name": "Kementerian B", "short_name": "KB", "slug": "kb"},
}


def count_queries(client, url: str) -> int:
    """Queries of a page view, after a first request has warmed what a live site keeps warm
    (site root paths, image renditions)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def wait_until_blocked_on_a_lock(backend_pids: list[int], timeout: float = 30) -> None:
    """Wait (PostgreSQL) until the connection whose server process id another thread appends to
    `backend_pids` is waiting on a row lock, so a race test knows its second party is blocked."""
    import time

    from django.db import connection

    def waiting() -> bool:
        if not backend_pids:
            return False
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = %s",
                [backend_pids[0]],
            )
            row = cursor.fetchone()
        return bool(row and row[0])

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not waiting():
        time.sleep(0.02)
    assert waiting(), "the second party never waited on the lock"


def lesson_body_keys() -> list[str]:
    """The cache keys of the lesson bodies kept in the tests' local-memory cache (whose own keys
    carry the key prefix and version, ":1:")."""
    from django.core.cache import cache

    return [key.split(":", 2)[2] for key in cache._cache if ":lesson-body:" in key]


def forget_lesson_bodies() -> None:
    """Drop the lesson bodies kept in the cache, so the next lesson view renders its body (and
    reads its images, documents and videos) while what else a live site keeps stays warm."""
    from django.core.cache import cache

    cache.delete_many(lesson_body_keys())


def csv_download(response, *, as_shown: bool = True) -> list[list[str]]:
    """The rows of a CSV export, which must start with the byte order mark Excel needs.

    `as_shown` reads NIPs written as ="..." back as the text a spreadsheet shows; without it
    the fields are returned as written.
    """
    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert data.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    return [[csv_cell_text(field) for field in row] for row in rows] if as_shown else rows


def race(*works: Callable[[], object]) -> list[object]:
    """Run each callable in its own thread, all released at once, each on its own database
    connection (closed when it is done): what each returned or raised, in no set order."""
    start = threading.Barrier(len(works))
    outcomes = []

    def run(work):
        try:
            start.wait()
            outcomes.append(work())
        except Exception as error:  # noqa: BLE001 - handed to the test, which asserts on it
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
