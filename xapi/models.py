"""What Lentera sent, or still has to send, to the learning record store (LRS).

One `Delivery` per source record (a learning record, a verified development record, a package
launch, one question of a submitted quiz attempt, a lesson an enrolled learner read): its
statement id is derived from the record (uuid5), so sending it again, by a retry or
by `xapi_backfill`, never makes a second statement in the LRS.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

#: The namespace of Lentera's statement ids and registrations (uuid5 of "<source>:<id>").
#: Never change it: the LRS would take every record sent again for a new statement.
XAPI_NAMESPACE = uuid.UUID("3f6d2b8e-6c1a-5e0b-9a43-6c656e746572")


class Actor(models.Model):
    """The opaque name a person has in the LRS (an xAPI `account`), instead of their e-mail or
    NIP: statements leave Lentera, and UU 27/2022 asks that personal data go no further than
    needed. Deleting the account deletes this row, and with it the link between the LRS's
    statements and the person."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="xapi_actor"
    )
    name = models.UUIDField(_("account name"), default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("xAPI actor")
        verbose_name_plural = _("xAPI actors")

    def __str__(self):
        return str(self.name)


class Delivery(models.Model):
    """One statement on its way to the LRS: its state, attempts and last error."""

    class Source(models.TextChoices):
        LEARNING_RECORD = "learning_record", _("Learning record")
        DEVELOPMENT_RECORD = "development_record", _("Development record")
        PACKAGE_ATTEMPT = "package_attempt", _("Package launch")
        # "<attempt id>:<question block id>": one "answered" per question of a submitted attempt.
        QUIZ_ANSWER = "quiz_answer", _("Quiz answer")
        # "<enrollment id>:<lesson id>": one "experienced" per plain lesson and enrollment.
        LESSON_EXPERIENCED = "lesson_experienced", _("Lesson read")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        REFUSED = "refused", _("Refused by the LRS")
        SKIPPED = "skipped", _("Nothing to send")

    statement_id = models.UUIDField(_("statement id"), unique=True, editable=False)
    source = models.CharField(_("source"), max_length=30, choices=Source.choices)
    source_id = models.CharField(_("source id"), max_length=64)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="xapi_one_delivery"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name = _("xAPI delivery")
        verbose_name_plural = _("xAPI deliveries")

    def __str__(self):
        return f"{self.source}:{self.source_id} ({self.status})"


def statement_id_for(*, source: str, source_id: str) -> uuid.UUID:
    """The statement id of a source record: the same record always gets the same id."""
    return uuid.uuid5(XAPI_NAMESPACE, f"{source}:{source_id}")
