"""Background work of coaching: telling one party that an agreement or a session waits for them."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from coaching.models import CoachingAgreement, CoachingSession
from content.inputs import single_line
from core.task_queue import MAIL_ERRORS, retry_on


@retry_on(*MAIL_ERRORS)
@task()
def session_to_confirm_notify(*, session_id: int) -> None:
    """E-mail the party who has not confirmed a session yet, in Bahasa Indonesia, with the link
    to the agreement where they confirm it."""
    session = (
        CoachingSession.objects.select_related("agreement__coachee", "agreement__coach")
        .filter(pk=session_id)
        .first()
    )
    if session is None or session.is_confirmed:
        return
    agreement = session.agreement
    if session.logged_by == CoachingAgreement.Role.COACHEE:
        recipient, logger = agreement.coach, agreement.coachee
    else:
        recipient, logger = agreement.coachee, agreement.coach
    if not recipient.email or not recipient.is_active:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("A %(kind)s session waits for your confirmation") % {
            "kind": agreement.get_kind_display().lower()
        }
        body = render_to_string(
            "coaching/email/session_to_confirm.txt",
            {
                "session": session,
                "agreement": agreement,
                "recipient": recipient,
                "logger": logger,
                "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
                + reverse("coaching:agreement_detail", args=[agreement.pk]),
            },
        )
    send_mail(single_line(subject), body, None, [recipient.email])


@retry_on(*MAIL_ERRORS)
@task()
def agreement_proposed_notify(*, agreement_id: int) -> None:
    """E-mail the person an agreement was proposed to, in Bahasa Indonesia, with the link where
    they accept it."""
    agreement = (
        CoachingAgreement.objects.select_related("coachee", "coach")
        .filter(pk=agreement_id, status=CoachingAgreement.Status.PROPOSED)
        .first()
    )
    if agreement is None:
        return
    if agreement.proposed_by == CoachingAgreement.Role.COACHEE:
        recipient, proposer = agreement.coach, agreement.coachee
    else:
        recipient, proposer = agreement.coachee, agreement.coach
    if not recipient.email or not recipient.is_active:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(name)s proposes a %(kind)s agreement") % {
            "name": proposer.full_name,
            "kind": agreement.get_kind_display().lower(),
        }
        body = render_to_string(
            "coaching/email/agreement_proposed.txt",
            {
                "agreement": agreement,
                "recipient": recipient,
                "proposer": proposer,
                "as_coach": agreement.proposed_by == CoachingAgreement.Role.COACHEE,
                "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
                + reverse("coaching:agreement_detail", args=[agreement.pk]),
            },
        )
    send_mail(single_line(subject), body, None, [recipient.email])
