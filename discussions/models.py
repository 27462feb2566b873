"""Discussions: questions and answers about a course or one of its cohorts, the trainers'
announcements to a cohort, and reports to moderators.

A thread without a cohort is the course's discussion (for everyone learning it); a thread with
a cohort is that cohort's own (its members and trainers). The question's text is the thread's
first post, so hiding, reporting and rendering treat questions and answers alike.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from content.inputs import validate_single_line

#: The longest post (a question, an answer or an announcement): about four pages of text; a
#: longer one is an attachment, which this part does not take.
POST_MAX_LENGTH = 10_000
#: The longest reason given for a report.
REPORT_REASON_MAX_LENGTH = 1_000


def validate_not_blank(value: str) -> None:
    if not value or not value.strip():
        raise ValidationError(_("Write something first."), code="blank")


class Thread(models.Model):
    """A question in a course's discussion (`cohort` empty) or a cohort's, optionally about one
    lesson of the course."""

    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="discussion_threads",
    )
    cohort = models.ForeignKey(
        "cohorts.Cohort",
        verbose_name=_("cohort"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="discussion_threads",
    )
    lesson = models.ForeignKey(
        "courses.LessonPage",
        verbose_name=_("lesson"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(
        _("title"), max_length=200, validators=[validate_single_line, validate_not_blank]
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The newest post's time: the list shows active threads first without reading posts.
    last_activity_at = models.DateTimeField(db_index=True)
    # Answers, hidden ones included: kept here so the list reads no posts.
    answer_count = models.PositiveIntegerField(default=0)
    accepted_answer = models.OneToOneField(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-last_activity_at", "-pk"]
        indexes = [
            models.Index(fields=["course", "cohort", "-last_activity_at"], name="thread_listing")
        ]
        verbose_name = _("discussion thread")
        verbose_name_plural = _("discussion threads")

    def __str__(self):
        return self.title

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class Post(models.Model):
    """A thread's question (the first post) or an answer to it."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_question = models.BooleanField(default=False)
    # Stored as posted: "Jawaban pelatih" stays true to who the author was then.
    by_trainer = models.BooleanField(default=False)
    # Plain text, shown escaped with its line breaks and links (no markup is accepted).
    body = models.TextField(
        _("text"), validators=[validate_not_blank, MaxLengthValidator(POST_MAX_LENGTH)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["thread", "created_at"], name="post_in_thread")]
        constraints = [
            models.UniqueConstraint(
                fields=["thread"], condition=models.Q(is_question=True), name="one_question"
            )
        ]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self):
        return f"{self.thread_id} — {self.pk}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Report(models.Model):
    """A participant's report of a post to the moderators, with a reason."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(
        _("reason"),
        validators=[validate_not_blank, MaxLengthValidator(REPORT_REASON_MAX_LENGTH)],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when a moderator hides the post (or decides it stays): the list shows open ones.
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["post", "reporter"], name="one_report_per_person")
        ]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self):
        return f"{self.post_id}: {self.reason[:50]}"


class Announcement(models.Model):
    """A trainer's announcement to a cohort: on top of its discussion, and e-mailed to its
    members (`discussions.tasks.announcement_deliver`)."""

    cohort = models.ForeignKey(
        "cohorts.Cohort", on_delete=models.CASCADE, related_name="announcements"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(
        _("title"), max_length=200, validators=[validate_single_line, validate_not_blank]
    )
    body = models.TextField(
        _("text"), validators=[validate_not_blank, MaxLengthValidator(POST_MAX_LENGTH)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self):
        return self.title


class AnnouncementDelivery(models.Model):
    """One member's copy of an announcement's e-mail: queued with the announcement, marked sent
    by the task, so a retry sends only what did not go."""

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="deliveries"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "recipient"], name="one_delivery_per_member"
            )
        ]

    def __str__(self):
        return f"{self.announcement_id} → {self.recipient_id}"
