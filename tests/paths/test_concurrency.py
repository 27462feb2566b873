"""Completions racing to finish one path issue its certificate once: the open path enrollments
are locked while they are checked (PostgreSQL), and SQLite's IMMEDIATE transactions take turns."""

from decimal import Decimal
from functools import partial

import pytest

from development.factories import DevelopmentRecordFactory, form_of
from learners.factories import completed_enrollment
from paths.models import PathCertificate, PathEnrollment
from paths.services import path_completion_check, path_follow
from tests.utils import race

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("concurrent_database"),
]


def test_racing_checks_complete_a_path_once(path, learner, course_a):
    path_follow(user=learner, path=path)
    completed_enrollment(user=learner, course=course_a)
    DevelopmentRecordFactory(
        owner=learner, form=form_of("mentoring"), jp=Decimal(5), status="verified"
    )

    outcomes = race(*[partial(path_completion_check, user=learner) for _n in range(4)])

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert sum(len(outcome) for outcome in outcomes) == 1
    assert PathEnrollment.objects.get(user=learner).completed_at is not None
    assert PathCertificate.objects.count() == 1
