"""The supervisor's follow-up link (Kirkpatrick L3): signed, stored as a hash, e-mailed.

Its own module so that the background task that sends it (`evaluation.tasks`) and the services
that schedule the sending (`evaluation.services.results`) do not import each other.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.core.signing import TimestampSigner
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from content.inputs import single_line
from evaluation.models import BehaviourFollowUp
from learners.models import Enrollment

#: How long a supervisor's follow-up link works.
FOLLOWUP_LINK_VALID_DAYS = 30
# The app's former name, kept: links already e-mailed to supervisors are signed with it.
FOLLOWUP_SIGNER_SALT = "assessments.behaviour-followup"


def followup_signer() -> TimestampSigner:
    """Signs the secret in a link, so a tampered or stale link is told apart from an unknown one."""
    return TimestampSigner(salt=FOLLOWUP_SIGNER_SALT)


def followup_token_hash(secret: str) -> str:
    """Only a hash of the secret is stored: a database leak opens no follow-up form."""
    return hashlib.sha256(secret.encode()).hexdigest()


def behaviour_followup_url(token: str) -> str:
    """The absolute link e-mailed to the supervisor, in the site's default language."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("evaluation:followup_form", args=[token])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


@transaction.atomic
def behaviour_followup_send(*, followup_id: int) -> bool:
    """E-mail the supervisor a fresh single-use link; False when there is nothing to send.

    The row lock and `sent_at` make a second run (a re-queued task, two workers) a no-op. The
    e-mail goes out inside the transaction: if sending fails, nothing is recorded and the next
    daily run queues it again.
    """
    followup = (
        BehaviourFollowUp.objects.select_for_update()
        .filter(pk=followup_id, sent_at__isnull=True, answered_at__isnull=True)
        .first()
    )
    if followup is None:
        return False
    enrollment = Enrollment.objects.select_related("user", "course").get(pk=followup.enrollment_id)
    secret = secrets.token_urlsafe(32)
    token = followup_signer().sign(secret)
    now = timezone.now()
    followup.token_hash = followup_token_hash(secret)
    followup.sent_at = now
    followup.expires_at = now + timedelta(days=FOLLOWUP_LINK_VALID_DAYS)
    followup.save(update_fields=["token_hash", "sent_at", "expires_at"])
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("How has %(name)s's work changed since %(course)s?") % {
            "name": enrollment.user.full_name,
            "course": enrollment.course.title,
        }
        body = render_to_string(
            "evaluation/email/behaviour_followup.txt",
            {
                "followup": followup,
                "learner": enrollment.user,
                "course": enrollment.course,
                "completed_at": enrollment.completed_at,
                "url": behaviour_followup_url(token),
            },
        )
    # Names stored before single-line checks may hold a line break: a header cannot.
    send_mail(single_line(subject), body, None, [followup.recipient_email])
    return True
