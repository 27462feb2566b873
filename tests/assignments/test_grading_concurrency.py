"""Two trainers grading one submission at the same moment, on PostgreSQL: the second waits for
the first's row lock, then is told the work was already graded; one grade, one completion.
SQLite has one writer at a time: no interleaving to force there."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from assignments import services
from assignments.models import Submission
from learners.models import LessonCompletion
from tests.assignments.conftest import scores

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL row locks"),
]


def _waiting_on_a_lock(backend_pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = %s", [backend_pid]
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def test_the_second_of_two_concurrent_grades_is_refused(
    assignment, member, trainer, cohort_only_trainer
):
    submission = services.submission_create(user=member, assignment=assignment, text="Rencana")
    locked = threading.Event()
    release = threading.Event()
    second_pid: list[int] = []
    refused: list[str] = []
    errors: list[BaseException] = []

    def first():
        try:
            with transaction.atomic():
                services.submission_grade(
                    submission=submission, grader=trainer, scores=scores(assignment, 5, 5)
                )
                locked.set()
                assert release.wait(timeout=30)
        except BaseException as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
            locked.set()
        finally:
            connection.close()

    def second():
        try:
            assert locked.wait(timeout=30)
            connection.ensure_connection()
            second_pid.append(connection.connection.info.backend_pid)
            services.submission_grade(
                submission=submission, grader=cohort_only_trainer, scores=scores(assignment, 1, 1)
            )
        except ValidationError as error:
            refused.append(error.code)
        except BaseException as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (
            second_pid and _waiting_on_a_lock(second_pid[0])
        ):
            time.sleep(0.02)
        assert second_pid and _waiting_on_a_lock(second_pid[0])
    finally:
        release.set()
        for thread in threads:
            thread.join(timeout=60)

    assert errors == []
    assert refused == ["already_graded"]
    graded = Submission.objects.get(pk=submission.pk)
    assert (graded.graded_by_id, graded.points) == (trainer.pk, 10)
    assert LessonCompletion.objects.filter(lesson=assignment).count() == 1
