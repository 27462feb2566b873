"""The stored progress of an enrollment (`required_total`, `required_done`,
`last_completed_at`) always equals a count from the rows, whatever changed: lessons completed
(by the learner, a quiz, offline replays), progress carried over, lessons published,
unpublished, made optional or required, added, deleted or moved to another course."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django_tasks.signals import task_enqueued
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.actions.unpublish_page import UnpublishPageAction

from courses.factories import LessonPageFactory, ModulePageFactory
from courses.models import LessonPage
from learners import progress, services
from learners.factories import LessonCompletionFactory, UserFactory
from learners.models import Enrollment, LessonCompletion
from learners.selectors import enrollments_progress, progress_percent

pytestmark = pytest.mark.django_db

WEEK = timedelta(days=7)


def counted(enrollment: Enrollment) -> tuple[int, int, object]:
    """The reference: the enrollment's figures counted from the rows, as before they were
    stored (`enrollments_progress`, and the latest completion of any lesson)."""
    enrollment = Enrollment.objects.select_related("course").get(pk=enrollment.pk)
    row = enrollments_progress([enrollment])[enrollment.pk]
    latest = LessonCompletion.objects.filter(enrollment=enrollment).aggregate(m=Max("completed_at"))
    return row.required_count, row.completed_required_count, latest["m"]


def stored(enrollment: Enrollment) -> tuple[int, int, object]:
    enrollment.refresh_from_db()
    return enrollment.required_total, enrollment.required_done, enrollment.last_completed_at


def assert_exact(*enrollments: Enrollment) -> None:
    for enrollment in enrollments:
        assert stored(enrollment) == counted(enrollment)


def lessons_of(course) -> list[LessonPage]:
    return list(LessonPage.objects.descendant_of(course).order_by("path").specific())


@pytest.fixture
def enrolled(course_a):
    learner = UserFactory(email="tersimpan@instansi.go.id")
    enrollment, _created = services.enrollment_create(user=learner, course=course_a)
    # Begun a week ago, so a device may report completions from the days before.
    Enrollment.objects.filter(pk=enrollment.pk).update(started_at=timezone.now() - WEEK)
    return enrollment


def test_a_new_enrollment_counts_the_courses_required_lessons(enrolled):
    assert stored(enrolled) == (4, 0, None)
    assert progress.recount_progress(Enrollment.objects.filter(pk=enrolled.pk)) == 1
    assert stored(enrolled) == (4, 0, None)


def test_lesson_complete_stores_the_count_in_its_transaction(enrolled, course_a):
    first, second, *_rest = lessons_of(course_a)
    moment = timezone.now() - timedelta(days=2)

    progress.lesson_complete(user=enrolled.user, lesson=second, completed_at=moment)
    assert stored(enrolled) == (4, 1, moment)
    # An offline device syncs an older completion later: the latest stays the latest.
    progress.lesson_complete(
        user=enrolled.user, lesson=first, completed_at=moment - timedelta(days=1)
    )
    assert stored(enrolled) == (4, 2, moment)
    # A replay of the same lesson changes nothing.
    progress.lesson_complete(user=enrolled.user, lesson=first)
    assert_exact(enrolled)


def test_the_last_lesson_completes_the_course_with_every_lesson_counted(enrolled, course_a):
    for lesson in lessons_of(course_a):
        result = progress.lesson_complete(user=enrolled.user, lesson=lesson)
    enrolled.refresh_from_db()
    assert enrolled.status == Enrollment.Status.COMPLETED
    assert (enrolled.required_total, enrolled.required_done) == (4, 4)
    assert result.course_progress_percent == 100
    assert_exact(enrolled)


def test_unpublishing_publishing_and_making_a_lesson_optional_recount(
    enrolled, course_a, django_capture_on_commit_callbacks
):
    first, second, third, _fourth = lessons_of(course_a)
    for lesson in (first, second):
        progress.lesson_complete(user=enrolled.user, lesson=lesson)
    other = services.enrollment_create(user=UserFactory(), course=course_a)[0]
    progress.lesson_complete(user=other.user, lesson=second)

    with django_capture_on_commit_callbacks(execute=True):
        second.unpublish()
        # Counted once the change commits, not in the editor's transaction.
        assert stored(enrolled)[:2] == (4, 2)
    assert stored(enrolled)[:2] == (3, 1)
    assert stored(other)[:2] == (3, 0)

    with django_capture_on_commit_callbacks(execute=True):
        second.save_revision().publish()
    assert stored(enrolled)[:2] == (4, 2)

    with django_capture_on_commit_callbacks(execute=True):
        third.required_for_completion = False
        third.save_revision().publish()
    assert stored(enrolled)[:2] == (3, 2)
    assert_exact(enrolled, other)


def test_a_lesson_added_deleted_or_moved_recounts_both_courses(
    enrolled, course_a, course_b, django_capture_on_commit_callbacks
):
    first, second, *_rest = lessons_of(course_a)
    progress.lesson_complete(user=enrolled.user, lesson=first)
    progress.lesson_complete(user=enrolled.user, lesson=second)
    elsewhere = services.enrollment_create(user=enrolled.user, course=course_b)[0]

    with django_capture_on_commit_callbacks(execute=True):
        LessonPageFactory(parent=first.get_parent(), title="Pelajaran tambahan")
    assert stored(enrolled)[:2] == (5, 2)

    with django_capture_on_commit_callbacks(execute=True):
        module_b = ModulePageFactory(parent=course_b, title="Modul pindahan")
        second.move(module_b, pos="last-child")
    assert stored(enrolled)[:2] == (4, 1)
    assert stored(elsewhere)[:2] == (5, 0)

    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    assert stored(enrolled)[:2] == (3, 0)
    assert_exact(enrolled, elsewhere)


def test_progress_carried_over_on_return_is_counted(enrolled, course_a):
    first, second, *_rest = lessons_of(course_a)
    progress.lesson_complete(user=enrolled.user, lesson=first)
    progress.lesson_complete(user=enrolled.user, lesson=second)
    services.enrollment_withdraw(enrollment=enrolled, user=enrolled.user)

    back, _created = services.enrollment_create(user=enrolled.user, course=course_a)

    assert back.pk != enrolled.pk
    assert stored(back)[:2] == (4, 2)
    assert_exact(back, enrolled)


def test_the_factory_counts_like_the_service(enrolled, course_a):
    LessonCompletionFactory(enrollment=enrolled, lesson=lessons_of(course_a)[2])
    assert stored(enrolled)[:2] == (4, 1)
    assert_exact(enrolled)


def test_recount_repairs_rows_written_around_the_service(enrolled, course_a):
    lessons = lessons_of(course_a)
    LessonCompletion.objects.bulk_create(
        LessonCompletion(enrollment=enrolled, lesson=lesson, completed_at=timezone.now())
        for lesson in lessons[:3]
    )
    assert stored(enrolled)[1] == 0

    assert progress.recount_progress() >= 1
    assert stored(enrolled)[:2] == (4, 3)
    assert_exact(enrolled)


def test_recount_takes_a_fixed_number_of_queries_per_course(course_a, django_assert_num_queries):
    for n in range(5):
        services.enrollment_create(user=UserFactory(email=f"r{n}@instansi.go.id"), course=course_a)
    # The courses, then per course its required lessons, and per batch of enrollments one
    # transaction (here a savepoint and its release): the lock, then the UPDATE.
    with django_assert_num_queries(6):
        assert progress.recount_progress(Enrollment.objects.filter(course=course_a)) == 5


def test_recount_counts_big_courses_in_batches(course_a, monkeypatch):
    enrollments = [
        services.enrollment_create(user=UserFactory(email=f"b{n}@instansi.go.id"), course=course_a)[
            0
        ]
        for n in range(5)
    ]
    Enrollment.objects.filter(course=course_a).update(required_total=0)
    for enrollment in enrollments[1::2]:
        LessonCompletionFactory(enrollment=enrollment, lesson=lessons_of(course_a)[0])
    monkeypatch.setattr(progress, "RECOUNT_BATCH", 2)

    assert progress.recount_progress(Enrollment.objects.filter(course=course_a)) == 5
    assert_exact(*enrollments)


def test_a_module_unpublished_recounts_its_course_once_after_commit(
    enrolled, course_a, course_b, django_capture_on_commit_callbacks
):
    first, *_rest = lessons_of(course_a)
    progress.lesson_complete(user=enrolled.user, lesson=first)
    editor = UserFactory(is_superuser=True, is_staff=True)
    queued = []

    def record(sender, task_result, **kwargs):
        if task_result.task.name == "course_progress_recount":
            queued.append(task_result.kwargs["course_id"])

    task_enqueued.connect(record, dispatch_uid="test_stored_progress_queued")
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            for course in (course_a, course_b):
                module = lessons_of(course)[0].get_parent().specific
                UnpublishPageAction(module, user=editor, include_descendants=True).execute()
            # The editor's transaction locked and counted nothing.
            assert stored(enrolled)[:2] == (4, 1)
            assert queued == []
    finally:
        task_enqueued.disconnect(dispatch_uid="test_stored_progress_queued")
    # Every lesson registered the recount, which ran once per course.
    assert len(callbacks) >= 4
    assert sorted(queued) == sorted([course_a.pk, course_b.pk])
    assert stored(enrolled)[:2] < (4, 1)
    assert_exact(enrolled)


def test_a_change_rolled_back_in_a_savepoint_keeps_the_others_recount(
    enrolled, course_a, django_capture_on_commit_callbacks
):
    first, second, *_rest = lessons_of(course_a)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            second.unpublish()
            raise RuntimeError("the editor's form failed")
        first.unpublish()
    assert stored(enrolled)[:2] == (3, 0)
    assert_exact(enrolled)


def test_stored_percent_follows_the_one_rule(enrolled, course_a):
    progress.lesson_complete(user=enrolled.user, lesson=lessons_of(course_a)[0])
    enrolled.refresh_from_db()
    percent = progress_percent(
        status=enrolled.status, required=enrolled.required_total, done=enrolled.required_done
    )
    assert percent == 25


# Random sequences of everything that changes progress, checked after each step.
STEPS = st.lists(
    st.tuples(
        st.sampled_from(["complete", "unpublish", "publish", "toggle_required", "add", "replay"]),
        st.integers(min_value=0, max_value=7),
        st.integers(min_value=0, max_value=2),
    ),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=STEPS)
def test_random_sequences_keep_the_stored_progress_exact(
    steps, course_a, django_capture_on_commit_callbacks
):
    # Hypothesis runs the examples in one test transaction: each starts from new learners.
    learners = [UserFactory() for _ in range(3)]
    enrollments = [services.enrollment_create(user=u, course=course_a)[0] for u in learners]
    Enrollment.objects.filter(pk__in=[e.pk for e in enrollments]).update(
        started_at=timezone.now() - WEEK
    )
    for action, lesson_index, learner_index in steps:
        lessons = lessons_of(course_a)
        lesson = lessons[lesson_index % len(lessons)]
        enrollment = enrollments[learner_index]
        enrollment.refresh_from_db()
        if action == "complete" and lesson.live and enrollment.status == "active":
            if getattr(lesson.specific_class, "completed_by_learner", True):
                progress.lesson_complete(user=enrollment.user, lesson=lesson)
        elif action == "replay" and lesson.live and enrollment.status == "active":
            progress.lesson_complete(
                user=enrollment.user,
                lesson=lesson,
                completed_at=timezone.now() - timedelta(hours=lesson_index + 1),
                source=LessonCompletion.Source.API,
            )
        else:
            # An editor's change, as it commits (its recount runs then).
            with django_capture_on_commit_callbacks(execute=True):
                if action == "unpublish" and lesson.live:
                    lesson.unpublish()
                elif action == "publish":
                    lesson.save_revision().publish()
                elif action == "toggle_required":
                    lesson.required_for_completion = not lesson.required_for_completion
                    lesson.save_revision().publish()
                elif action == "add" and len(lessons) < 8:
                    LessonPageFactory(
                        parent=lessons[0].get_parent(), title=f"Tambahan {len(lessons)}"
                    )
        assert_exact(*enrollments)
