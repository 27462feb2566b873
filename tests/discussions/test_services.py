"""The discussion rules: threads and answers, accepted answers, hiding, locking, reports and who
may do each."""

import pytest
from django.core.exceptions import ValidationError

from courses.factories import LessonPageFactory
from courses.models import LessonPage
from discussions import services
from discussions.errors import DiscussionError
from discussions.models import POST_MAX_LENGTH, Post, Report, Thread
from discussions.permissions import discussion_access
from learners.factories import UserFactory
from learners.models import Enrollment

pytestmark = pytest.mark.django_db


def _ask(user, course, cohort=None, **kwargs):
    return services.thread_create(
        author=user,
        course=course,
        cohort=cohort,
        title=kwargs.pop("title", "Bagaimana cara mengisi SKP?"),
        body=kwargs.pop("body", "Saya bingung dengan formulirnya."),
        **kwargs,
    )


def test_thread_create_saves_the_question_as_its_first_post(course_a, learner):
    lesson = LessonPage.objects.descendant_of(course_a).first()
    thread = _ask(learner, course_a, lesson=lesson)
    question = Post.objects.get(thread=thread)
    assert question.is_question and question.author == learner and not question.by_trainer
    assert thread.lesson == lesson and thread.cohort is None and thread.answer_count == 0


def test_thread_create_refuses_a_lesson_of_another_course(course_a, course_b, learner):
    lesson_b = LessonPage.objects.descendant_of(course_b).first()
    with pytest.raises(DiscussionError) as error:
        _ask(learner, course_a, lesson=lesson_b)
    assert error.value.code == "wrong_lesson"
    assert not Thread.objects.exists()


def test_thread_create_with_an_empty_or_huge_question_saves_nothing(course_a, learner):
    with pytest.raises(ValidationError):
        _ask(learner, course_a, body="   \n ")
    with pytest.raises(ValidationError):
        _ask(learner, course_a, body="x" * (POST_MAX_LENGTH + 1))
    assert not Thread.objects.exists() and not Post.objects.exists()


def test_outsider_and_pending_learner_cannot_ask(course_a, outsider):
    with pytest.raises(DiscussionError):
        _ask(outsider, course_a)
    Enrollment.objects.create(user=outsider, course=course_a, status=Enrollment.Status.PENDING)
    with pytest.raises(DiscussionError):
        _ask(outsider, course_a)
    assert not Thread.objects.exists()


def test_withdrawn_learner_loses_the_course_discussion(course_a, learner):
    assert discussion_access(learner, course=course_a).can_view
    Enrollment.objects.filter(user=learner).update(status=Enrollment.Status.WITHDRAWN)
    assert not discussion_access(learner, course=course_a).can_view


def test_course_learner_outside_the_cohort_does_not_see_the_cohort_discussion(
    course_a, cohort, learner, member
):
    assert not discussion_access(learner, course=course_a, cohort=cohort).can_view
    assert discussion_access(member, course=course_a, cohort=cohort).participant
    # Cohort members learn the course: its own discussion is theirs too.
    assert discussion_access(member, course=course_a).participant


def test_course_trainer_who_does_not_train_the_cohort_does_not_see_it(course_a, cohort, trainer):
    course_only = UserFactory(email="kursus@instansi.go.id", trainer_of=course_a)
    assert discussion_access(course_only, course=course_a).trainer
    assert not discussion_access(course_only, course=course_a, cohort=cohort).can_view
    assert discussion_access(trainer, course=course_a, cohort=cohort).trainer


def test_organization_moderator_moderates_but_other_organization_does_not(
    course_a, cohort, moderator_a, moderator_b, editor_a
):
    access = discussion_access(moderator_a, course=course_a, cohort=cohort)
    assert access.moderator and access.can_view and not access.trainer
    assert not discussion_access(moderator_b, course=course_a, cohort=cohort).can_view
    assert not discussion_access(editor_a, course=course_a).can_view


def test_trainer_reply_is_marked_and_counts(course_a, learner, trainer):
    thread = _ask(learner, course_a)
    answer = services.reply_create(thread=thread, author=trainer, body="Lihat modul 2.")
    mine = services.reply_create(thread=thread, author=learner, body="Terima kasih!")
    assert answer.by_trainer and not mine.by_trainer
    thread.refresh_from_db()
    assert thread.answer_count == 2 and thread.last_activity_at == mine.created_at


def test_reply_to_a_locked_thread_is_refused_and_saves_nothing(course_a, learner, trainer):
    thread = _ask(learner, course_a)
    services.thread_lock(thread=thread, moderator=trainer)
    with pytest.raises(DiscussionError) as error:
        services.reply_create(thread=thread, author=learner, body="Masih ada pertanyaan.")
    assert error.value.code == "locked"
    thread.refresh_from_db()
    assert thread.answer_count == 0 and Post.objects.filter(thread=thread).count() == 1


def test_learner_cannot_lock_or_hide(course_a, learner, member):
    thread = _ask(learner, course_a)
    with pytest.raises(DiscussionError):
        services.thread_lock(thread=thread, moderator=member)
    with pytest.raises(DiscussionError):
        services.post_hide(post=thread.posts.get(), moderator=learner)


def test_asker_accepts_one_answer_and_may_change_it(course_a, learner, member, trainer):
    thread = _ask(learner, course_a)
    first = services.reply_create(thread=thread, author=member, body="Jawaban pertama")
    second = services.reply_create(thread=thread, author=trainer, body="Jawaban kedua")
    services.answer_accept(thread=thread, post=first, user=learner)
    services.answer_accept(thread=thread, post=second, user=trainer)
    thread.refresh_from_db()
    assert thread.accepted_answer == second


def test_another_learner_cannot_accept(course_a, learner, member):
    thread = _ask(learner, course_a)
    answer = services.reply_create(thread=thread, author=member, body="Jawaban")
    with pytest.raises(DiscussionError) as error:
        services.answer_accept(thread=thread, post=answer, user=member)
    assert error.value.code == "not_allowed"
    thread.refresh_from_db()
    assert thread.accepted_answer is None


def test_accepting_an_answer_of_another_thread_is_refused(course_a, learner, member):
    thread = _ask(learner, course_a)
    other = _ask(learner, course_a, title="Pertanyaan lain")
    foreign = services.reply_create(thread=other, author=member, body="Jawaban di topik lain")
    with pytest.raises(DiscussionError) as error:
        services.answer_accept(thread=thread, post=foreign, user=learner)
    assert error.value.code == "other_thread"
    thread.refresh_from_db()
    assert thread.accepted_answer is None


def test_hiding_settles_reports_and_unaccepts(course_a, learner, member, trainer):
    thread = _ask(learner, course_a)
    answer = services.reply_create(thread=thread, author=member, body="Iklan!")
    services.answer_accept(thread=thread, post=answer, user=learner)
    report = services.report_create(post=answer, reporter=learner, reason="Ini iklan.")
    services.post_hide(post=answer, moderator=trainer)
    answer.refresh_from_db()
    report.refresh_from_db()
    thread.refresh_from_db()
    assert answer.is_hidden and answer.hidden_by == trainer
    assert report.resolved_at is not None
    assert thread.accepted_answer is None
    services.post_hide(post=answer, moderator=trainer, hidden=False)
    answer.refresh_from_db()
    assert not answer.is_hidden


def test_report_twice_is_refused_once_saved(course_a, learner, member):
    thread = _ask(learner, course_a)
    answer = services.reply_create(thread=thread, author=member, body="Jawaban")
    services.report_create(post=answer, reporter=learner, reason="Kasar.")
    with pytest.raises(DiscussionError) as error:
        services.report_create(post=answer, reporter=learner, reason="Masih kasar.")
    assert error.value.code == "reported"
    assert Report.objects.count() == 1


def test_report_without_a_reason_is_refused(course_a, learner, member):
    thread = _ask(learner, course_a)
    with pytest.raises(ValidationError):
        services.report_create(post=thread.posts.get(), reporter=member, reason="  ")
    assert not Report.objects.exists()


def test_lesson_added_later_can_be_asked_about(course_a, learner):
    module = course_a.get_children().first()
    lesson = LessonPageFactory(parent=module, title="Pelajaran baru")
    thread = _ask(learner, course_a, lesson=lesson)
    assert thread.lesson_id == lesson.pk
