"""Discussions: questions and answers about a course or one of its cohorts, the topics of a
community of practice, the trainers' announcements to a cohort, and reports to moderators.

A thread belongs to a course or to a community, never both (a check constraint). A course's
thread without a cohort is the course's discussion (for everyone learning it); with a cohort it
is that cohort's own (its members and trainers). A community's thread is a topic of that
community (its members and moderators). The question's text is the thread's first post, so
hiding, reporting, locking, paging and rendering treat questions, answers and topics alike,
wherever the thread lives.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.validators import MaxLengthValidator, MinLengthValidator
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


class Community(models.Model):
    """A community of practice (Komunitas Belajar): civil servants of any agency who share a
    competency or an occupational group (jabatan fungsional), with its own moderators.

    Open: anyone signed in joins or leaves. What is said in it (topics, resources, events) is
    for its members and moderators; everyone signed in sees its name and description."""

    name = models.CharField(
        _("name"), max_length=150, validators=[validate_single_line, validate_not_blank]
    )
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    description = models.TextField(
        _("description"),
        blank=True,
        validators=[MaxLengthValidator(2_000)],
        help_text=_("Plain text: who the community is for and what it talks about."),
    )
    competency = models.ForeignKey(
        "content.Competency",
        verbose_name=_("competency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="communities",
    )
    occupational_group = models.CharField(
        _("occupational group"),
        max_length=150,
        blank=True,
        validators=[validate_single_line],
        help_text=_("A functional position group (jabatan fungsional), e.g. Analis Kebijakan."),
    )
    # The organization whose moderators (its Wagtail moderators group) also act on the
    # community; empty for a community no one agency looks after.
    organization = models.ForeignKey(
        "content.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="communities",
    )
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderators"),
        blank=True,
        related_name="moderated_communities",
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("An inactive community is listed nowhere.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(competency__isnull=False) | ~models.Q(occupational_group=""),
                name="community_has_a_subject",
            )
        ]
        verbose_name = _("community of practice")
        verbose_name_plural = _("communities of practice")

    def __str__(self):
        return self.name

    def clean(self):
        if self.competency_id is None and not self.occupational_group.strip():
            raise ValidationError(
                _("Give the community a competency or an occupational group."), code="subject"
            )


class Membership(models.Model):
    """One person's membership of a community, from the day they joined."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="one_membership_per_person")
        ]
        verbose_name = _("community membership")
        verbose_name_plural = _("community memberships")

    def __str__(self):
        return f"{self.user_id} in {self.community_id}"


class Thread(models.Model):
    """A question in a course's discussion (`cohort` empty) or a cohort's, optionally about one
    lesson of the course; or a topic of a community of practice."""

    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="discussion_threads",
    )
    community = models.ForeignKey(
        Community,
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="threads",
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
            models.Index(fields=["course", "cohort", "-last_activity_at"], name="thread_listing"),
            models.Index(fields=["community", "-last_activity_at"], name="community_listing"),
        ]
        constraints = [
            # A course's thread (maybe of a cohort) or a community's topic, never both.
            models.CheckConstraint(
                condition=(
                    models.Q(course__isnull=False, community__isnull=True)
                    | models.Q(course__isnull=True, community__isnull=False, cohort__isnull=True)
                ),
                name="thread_of_course_or_community",
            )
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


#: The longest description of a community's resource or event.
DESCRIPTION_MAX_LENGTH = 2_000


def resource_upload_to(instance: "CommunityResource", filename: str) -> str:
    # A random name under the community: the original name is kept in a field, never in the path.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"communities/{instance.community_id}/{secrets.token_hex(16)}.{extension}"


def private_storage():
    """Storage only Lentera's views serve from (`discussions.views.resource_download`)."""
    return storages["private"]


class CommunityResource(models.Model):
    """Something a member shares with the community: a link, or a file of an allowed type kept
    in the private storage (members download it through Lentera)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="resources")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(
        _("title"), max_length=200, validators=[validate_single_line, validate_not_blank]
    )
    # Plain text like every post, shown escaped with its links (no markup is accepted).
    description = models.TextField(
        _("description"), blank=True, validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)]
    )
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(
        _("file"), upload_to=resource_upload_to, storage=private_storage, max_length=255, blank=True
    )
    original_name = models.CharField(_("original name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A link or a file, exactly one.
            models.CheckConstraint(
                condition=(models.Q(url="") & ~models.Q(file=""))
                | (~models.Q(url="") & models.Q(file="")),
                name="resource_link_or_file",
            )
        ]
        verbose_name = _("community resource")
        verbose_name_plural = _("community resources")

    def __str__(self):
        return self.title


class CommunityEvent(models.Model):
    """A community's meeting: when, and where (a place, a link to a virtual room, or both)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="events")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(
        _("title"), max_length=200, validators=[validate_single_line, validate_not_blank]
    )
    description = models.TextField(
        _("description"), blank=True, validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)]
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(
        _("place"), max_length=255, blank=True, validators=[validate_single_line]
    )
    link = models.URLField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~models.Q(place="") | ~models.Q(link=""), name="event_has_a_place"
            ),
        ]
        verbose_name = _("community event")
        verbose_name_plural = _("community events")

    def __str__(self):
        return self.title


#: The most hours a day of community participation one claim may count: a working day's
#: meetings and reading beside the job, not the whole day.
CLAIM_HOURS_PER_DAY_MAX = 4
#: The longest period one claim covers; a longer one is claimed in parts, each reported.
CLAIM_PERIOD_DAYS_MAX = 92
CLAIM_REPORT_MIN_LENGTH = 50


class ParticipationClaim(models.Model):
    """A member's claim that their participation in a community over a period counts as a
    non-classical development record ("komunitas belajar"); the record carries the rest."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="claims")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_claims"
    )
    record = models.OneToOneField(
        "development.DevelopmentRecord", on_delete=models.CASCADE, related_name="community_claim"
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    report = models.TextField(
        _("report"),
        validators=[
            MinLengthValidator(CLAIM_REPORT_MIN_LENGTH),
            MaxLengthValidator(POST_MAX_LENGTH),
        ],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        indexes = [models.Index(fields=["member", "community", "start_date"], name="claim_period")]
        verbose_name = _("participation claim")
        verbose_name_plural = _("participation claims")

    def __str__(self):
        return f"{self.member_id} in {self.community_id}: {self.start_date}–{self.end_date}"
