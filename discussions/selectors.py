"""Reads of discussions, each page's in a fixed number of queries whatever the number of
threads and posts (paged by the views)."""

from django.db.models import Case, IntegerField, QuerySet, Value, When

from cohorts.models import Cohort
from courses.models import CoursePage, LessonPage
from discussions.models import Announcement, Post, Report, Thread
from discussions.permissions import moderated_threads_q
from learners.models import User

#: Announcements shown on top of a cohort's discussion (the newest).
ANNOUNCEMENTS_SHOWN = 5


def threads_of(*, course: CoursePage, cohort: Cohort | None = None) -> QuerySet[Thread]:
    """The course's own threads (without a cohort) or the cohort's, most active first."""
    threads = Thread.objects.filter(course=course)
    threads = threads.filter(cohort=cohort) if cohort is not None else threads.filter(cohort=None)
    return threads.select_related("author", "lesson").only(
        "title",
        "created_at",
        "last_activity_at",
        "answer_count",
        "accepted_answer_id",
        "locked_at",
        "course_id",
        "cohort_id",
        "author__full_name",
        "lesson__title",
    )


def thread_for_page(thread_id: int) -> Thread | None:
    """A thread with what its page and its access check read: course, cohort, lesson, asker."""
    return (
        Thread.objects.select_related("course", "cohort", "lesson", "author")
        .filter(pk=thread_id)
        .first()
    )


def question_of(thread: Thread) -> Post:
    return Post.objects.select_related("author").get(thread=thread, is_question=True)


def answers_of(thread: Thread) -> QuerySet[Post]:
    """The thread's answers, the accepted one first, then oldest first."""
    return (
        Post.objects.filter(thread=thread, is_question=False)
        .select_related("author", "hidden_by")
        .annotate(
            accepted_first=Case(
                When(pk=thread.accepted_answer_id or 0, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("accepted_first", "created_at", "pk")
    )


def announcements_of(cohort: Cohort) -> list[Announcement]:
    return list(
        Announcement.objects.filter(cohort=cohort).select_related("author")[:ANNOUNCEMENTS_SHOWN]
    )


def lessons_of(course: CoursePage) -> QuerySet[LessonPage]:
    """The course's live lessons in their order, for "about which lesson"."""
    return LessonPage.objects.live().descendant_of(course).order_by("path").only("title", "path")


def open_reports_for(user: User) -> QuerySet[Report]:
    """Reports not settled yet on posts of the threads `user` moderates, newest first."""
    return (
        Report.objects.filter(resolved_at=None)
        .filter(moderated_threads_q(user, prefix="post__thread__"))
        .select_related("reporter", "post__author", "post__thread__course", "post__thread__cohort")
    )
