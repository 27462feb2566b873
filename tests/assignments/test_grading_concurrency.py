"""Two trainers grading one submission at the same moment, on PostgreSQL: the second waits for
the first's row lock, then is told the work was already graded; one grade, one completion.
SQLite has one writer at a time: no interleaving to force there."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from assignments import services
from assignments.models import Submission
from learners.models import LessonCompletion
from tests.assignments.conftest import scores
from tests.utils import wait_until_blocked_on_a_lock

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL row locks"),
]


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
        wait_until_blocked_on_a_lock(second_pid)
    finally:
        release.set()
        for thread in threads:
            thread.join(timeout=60)

    assert errors == []
    assert refused == ["already_graded"]
    graded = Submission.objects.get(pk=submission.pk)
    assert (graded.graded_by_id, graded.points) == (trainer.pk, 10)
    assert LessonCompletion.objects.filter(lesson=assignment).count() == 1
