"""A course's enrollments counted again while a learner completes a lesson, on PostgreSQL.

`lesson_complete` holds the enrollment's row lock while it adds the completion. A recount that
met that lock inside its UPDATE would wait, re-check only the locked row, and count with the
snapshot its statement began with: the completion committed meanwhile would be missed, one
lesson short for good. `recount_progress` locks the rows first, in their own statement, so
the UPDATE after it counts with a fresh snapshot. SQLite has one writer at a time: no
interleaving to force there.
"""

import threading

import pytest
from django.db import connection, transaction

from learners import progress, services
from learners.factories import UserFactory
from learners.models import Enrollment
from tests.learners.test_stored_progress import assert_exact, lessons_of, stored
from tests.utils import wait_until_blocked_on_a_lock

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL row locks"),
]


def test_a_recount_waiting_for_a_completion_counts_it(course_a):
    learner = UserFactory(email="serentak@instansi.go.id")
    enrollment, _created = services.enrollment_create(user=learner, course=course_a)
    first, second, *_rest = lessons_of(course_a)
    progress.lesson_complete(user=learner, lesson=first)

    locked = threading.Event()
    release = threading.Event()
    recount_pid: list[int] = []
    errors: list[BaseException] = []

    def complete():
        try:
            with transaction.atomic():
                # Holds the enrollment's row lock, its completion added, until released.
                progress.lesson_complete(user=learner, lesson=second)
                locked.set()
                assert release.wait(timeout=30)
        except BaseException as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
            locked.set()
        finally:
            connection.close()

    def recount():
        try:
            assert locked.wait(timeout=30)
            connection.ensure_connection()
            recount_pid.append(connection.connection.info.backend_pid)
            progress.course_progress_recount(course_a.pk)
        except BaseException as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=complete), threading.Thread(target=recount)]
    for thread in threads:
        thread.start()
    try:
        # The recount has started and waits for the completion's lock.
        wait_until_blocked_on_a_lock(recount_pid)
    finally:
        release.set()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []

    assert stored(enrollment)[:2] == (4, 2)
    assert_exact(enrollment)
    assert Enrollment.objects.get(pk=enrollment.pk).required_done == 2
