"""Writes of discussions: threads, answers, accepted answers, moderation, reports and
announcements, in courses, cohorts and communities alike, and the notifications they send
(answers, replies, accepted answers, mentions, announcements). Every rule lives here; views and
`seed_demo` call these. The communities' own writes (joining, resources, events, claims) are in
`discussions.communities`."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import Cohort
from courses.models import CoursePage, LessonPage
from discussions.errors import DiscussionError
from discussions.mentions import mentioned_users
from discussions.models import (
    Announcement,
    AnnouncementDelivery,
    Community,
    Post,
    Report,
    Thread,
)
from discussions.permissions import (
    PARTICIPATING_STATUSES,
    community_access,
    discussion_access,
    thread_access,
)
from discussions.selectors import thread_viewers
from learners.models import Enrollment, User
from notifications.models import Notification
from notifications.services import notify, notify_many


def _access(user: User, thread: Thread):
    return thread_access(user, thread)


def _post_url(post: Post) -> str:
    return reverse("discussions:thread", args=[post.thread_id]) + f"#post-{post.pk}"


def _notify_post(*, post: Post, thread: Thread, told: set[int]) -> None:
    """Tell the people `post` mentions (MENTION), except those `told` already of it: one query
    to resolve them among the thread's viewers, one INSERT."""
    mentioned = [
        user
        for user in mentioned_users(post.body, viewers=thread_viewers(thread))
        if user.pk not in told and user.pk != post.author_id
    ]
    if mentioned:
        notify_many(
            recipients=mentioned,
            kind=Notification.Kind.MENTION,
            actor=post.author,
            subject=thread.title,
            url=_post_url(post),
        )


def _refused(message: str, code: str) -> DiscussionError:
    return DiscussionError(message, code=code)


def thread_create(
    *,
    author: User,
    course: CoursePage | None = None,
    cohort: Cohort | None = None,
    community: Community | None = None,
    lesson: LessonPage | None = None,
    title: str,
    body: str,
) -> Thread:
    """Ask a question in the course's discussion (or the cohort's), or open a topic in a
    community: the thread and its first post, together or not at all; the people the post
    mentions are told."""
    if (course is None) == (community is None):
        raise ValueError("A thread belongs to a course or to a community.")
    if community is not None:
        if cohort is not None or lesson is not None:
            raise ValueError("A community's topic has no cohort and no lesson.")
        access = community_access(author, community=community)
    else:
        access = discussion_access(author, course=course, cohort=cohort)
    if not access.can_post:
        raise _refused(_("You cannot post in this discussion."), "not_participant")
    if cohort is not None and cohort.course_id != course.pk:
        raise _refused(_("This cohort is not a cohort of this course."), "wrong_course")
    if lesson is not None and not lesson.path.startswith(course.path):
        raise _refused(_("Choose a lesson of this course."), "wrong_lesson")
    now = timezone.now()
    thread = Thread(
        course=course,
        cohort=cohort,
        community=community,
        lesson=lesson,
        title=title.strip(),
        author=author,
        last_activity_at=now,
    )
    question = Post(author=author, is_question=True, by_trainer=access.trainer, body=body)
    thread.full_clean()
    question.full_clean(exclude=["thread"])
    with transaction.atomic():
        thread.save()
        question.thread = thread
        question.save()
        _notify_post(post=question, thread=thread, told=set())
    return thread


def reply_create(*, thread: Thread, author: User, body: str) -> Post:
    """Answer a question or reply in a community's topic; refused in a locked thread. A
    trainer's answer is marked. The asker is told of an answer (ANSWER); in a community, the
    topic's starter and everyone who replied before are told of a reply (REPLY), as long as
    they can still see it; the people it mentions are told too (MENTION), once each."""
    access = _access(author, thread)
    if not access.can_post:
        raise _refused(_("You cannot post in this discussion."), "not_participant")
    post = Post(thread=thread, author=author, by_trainer=access.trainer, body=body)
    post.full_clean()
    with transaction.atomic():
        # The lock is read under the row lock, so an answer never slips in after it.
        locked = (
            Thread.objects.select_for_update().filter(pk=thread.pk).values_list("locked_at")
        ).get()[0]
        if locked is not None:
            raise _refused(_("This thread is locked: it takes no more answers."), "locked")
        post.save()
        Thread.objects.filter(pk=thread.pk).update(
            answer_count=F("answer_count") + 1, last_activity_at=post.created_at
        )
        told = _notify_followers(post=post, thread=thread)
        _notify_post(post=post, thread=thread, told=told)
    return post


def _notify_followers(*, post: Post, thread: Thread) -> set[int]:
    """ANSWER to the asker of a course's question; REPLY to those who started or replied in a
    community's topic. Only people who can still see the thread; returns who was told."""
    if thread.community_id is None:
        followers = {thread.author_id} - {None, post.author_id}
        kind = Notification.Kind.ANSWER
    else:
        followers = set(
            Post.objects.filter(thread=thread)
            .exclude(author=None)
            .values_list("author_id", flat=True)
        ) - {post.author_id}
        kind = Notification.Kind.REPLY
    if not followers:
        return set()
    recipients = list(thread_viewers(thread).filter(pk__in=followers).values_list("pk", flat=True))
    notify_many(
        recipients=recipients,
        kind=kind,
        actor=post.author,
        subject=thread.title,
        url=_post_url(post),
    )
    return set(recipients)


def answer_accept(*, thread: Thread, post: Post, user: User) -> Thread:
    """The asker or a trainer accepts one answer of the thread (it replaces an earlier one)."""
    if post.thread_id != thread.pk:
        raise _refused(_("This answer belongs to another thread."), "other_thread")
    if post.is_question:
        raise _refused(_("A question cannot be its own answer."), "question")
    if post.is_hidden:
        raise _refused(_("A hidden answer cannot be accepted."), "hidden")
    access = _access(user, thread)
    if not (access.trainer or (access.can_view and thread.author_id == user.pk)):
        raise _refused(
            _("Only the person who asked or a trainer can accept an answer."), "not_allowed"
        )
    newly = thread.accepted_answer_id != post.pk
    with transaction.atomic():
        thread.accepted_answer = post
        thread.save(update_fields=["accepted_answer"])
        if newly and post.author_id is not None:
            notify(
                recipient=post.author_id,
                kind=Notification.Kind.ACCEPTED,
                actor=user,
                subject=thread.title,
                url=_post_url(post),
            )
    return thread


def post_hide(*, post: Post, moderator: User, hidden: bool = True) -> Post:
    """Hide a post (others see "hidden by a moderator") or show it again; hiding settles the
    post's open reports. An accepted answer hidden is no longer accepted."""
    thread = post.thread
    if not _access(moderator, thread).moderator:
        raise _refused(_("Only moderators can hide posts."), "not_moderator")
    now = timezone.now()
    with transaction.atomic():
        post.hidden_at = now if hidden else None
        post.hidden_by = moderator if hidden else None
        post.save(update_fields=["hidden_at", "hidden_by"])
        if hidden:
            Report.objects.filter(post=post, resolved_at=None).update(resolved_at=now)
            if thread.accepted_answer_id == post.pk:
                thread.accepted_answer = None
                thread.save(update_fields=["accepted_answer"])
    return post


def thread_lock(*, thread: Thread, moderator: User, locked: bool = True) -> Thread:
    """Lock a thread (it takes no more answers) or open it again."""
    if not _access(moderator, thread).moderator:
        raise _refused(_("Only moderators can lock threads."), "not_moderator")
    thread.locked_at = timezone.now() if locked else None
    thread.locked_by = moderator if locked else None
    thread.save(update_fields=["locked_at", "locked_by"])
    return thread


def report_create(*, post: Post, reporter: User, reason: str) -> Report:
    """A participant reports a post to the moderators, once per post."""
    if not _access(reporter, post.thread).can_view:
        raise _refused(_("You cannot report posts in this discussion."), "not_participant")
    report = Report(post=post, reporter=reporter, reason=reason.strip())
    report.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as error:
        raise _refused(_("You have already reported this post."), "reported") from error
    return report


def report_dismiss(*, report: Report, moderator: User) -> Report:
    """A moderator decides a reported post stays: the report leaves the list."""
    if not _access(moderator, report.post.thread).moderator:
        raise _refused(_("Only moderators can settle reports."), "not_moderator")
    report.resolved_at = timezone.now()
    report.save(update_fields=["resolved_at"])
    return report


def announcement_create(*, cohort: Cohort, author: User, title: str, body: str) -> Announcement:
    """A trainer's announcement to their cohort: saved with one delivery per member who has an
    e-mail address, and e-mailed by a background task once the transaction commits; every
    member is told in the app too (ANNOUNCEMENT)."""
    from discussions.tasks import announcement_deliver

    if not discussion_access(author, course=cohort.course, cohort=cohort).trainer:
        raise _refused(_("Only the cohort's trainers can post announcements."), "not_trainer")
    announcement = Announcement(cohort=cohort, author=author, title=title.strip(), body=body)
    announcement.full_clean()
    members = list(
        Enrollment.objects.filter(
            cohort_membership__cohort=cohort, status__in=PARTICIPATING_STATUSES
        ).values_list("user_id", "user__email")
    )
    with transaction.atomic():
        announcement.save()
        AnnouncementDelivery.objects.bulk_create(
            AnnouncementDelivery(announcement=announcement, recipient_id=user_id)
            for user_id, email in members
            if email
        )
        notify_many(
            recipients=[user_id for user_id, _email in members],
            kind=Notification.Kind.ANNOUNCEMENT,
            actor=author,
            subject=announcement.title,
            url=reverse("discussions:cohort", args=[cohort.pk]),
        )
        transaction.on_commit(lambda: announcement_deliver.enqueue(announcement_id=announcement.pk))
    return announcement
