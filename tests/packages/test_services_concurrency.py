"""Commits racing each other: a package's first commits arriving at once create one attempt and
one state per item, the same event sent twice at once is applied once, and finishing commits
racing complete the lesson once (one certificate).

On PostgreSQL the enrollment's row lock serializes them (the unique constraints are the safety
net); on SQLite (`concurrent_database`) IMMEDIATE transactions take the write lock in turn."""

import uuid
from functools import partial

import pytest
from django.utils import timezone

from courses.factories import provider_page_of
from learners.models import Certificate, LessonCompletion
from packages import samples
from packages.models import PackageAttempt, RuntimeCommit, ScoState
from packages.services import runtime_commit
from tests.packages.runtime_helpers import cmi12, cmi2004, course_with_package, enrolled
from tests.utils import race

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("concurrent_database"),
]


def send(user, lesson, cmi, *, item=None, event_id=None):
    return runtime_commit(
        user=user,
        lesson=lesson,
        item=item or lesson.package.items[0]["identifier"],
        event_id=event_id or uuid.uuid4(),
        committed_at=timezone.now(),
        cmi=cmi,
        terminate=False,
    )


def test_first_commits_at_once_make_one_attempt_and_one_state(provider_a):
    course, _lesson, package_lesson = course_with_package(provider_page_of(provider_a))
    learner = enrolled(course)

    outcomes = race(
        *[partial(send, learner, package_lesson, cmi12(location=f"p{n}")) for n in range(8)]
    )

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    assert PackageAttempt.objects.count() == 1
    assert ScoState.objects.count() == 1
    assert RuntimeCommit.objects.count() == 8


def test_the_same_event_at_once_is_applied_once(provider_a):
    course, _lesson, package_lesson = course_with_package(provider_page_of(provider_a))
    learner = enrolled(course)
    event_id = uuid.uuid4()

    outcomes = race(
        *[partial(send, learner, package_lesson, cmi12(), event_id=event_id) for _ in range(6)]
    )

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    assert RuntimeCommit.objects.count() == 1
    assert sorted(outcome.replayed for outcome in outcomes) == [False] + [True] * 5


def test_racing_finishing_commits_complete_the_lesson_once(provider_a):
    course, _lesson, package_lesson = course_with_package(
        provider_page_of(provider_a), archive=samples.scorm2004_multi_sco(), lesson_first=False
    )
    learner = enrolled(course)
    intro, practice = [item["identifier"] for item in package_lesson.package.items][:2]

    outcomes = race(
        partial(send, learner, package_lesson, cmi2004(progress="1"), item=intro),
        partial(send, learner, package_lesson, cmi2004("completed", scaled="0.9"), item=practice),
        partial(send, learner, package_lesson, cmi2004("completed", scaled="0.95"), item=practice),
    )

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    assert LessonCompletion.objects.filter(lesson=package_lesson).count() == 1
    assert Certificate.objects.filter(enrollment__user=learner).count() == 1
    assert PackageAttempt.objects.get().completed_at is not None
