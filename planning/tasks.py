"""Background work of development plans: telling the supervisor a plan waits for them, and the
owner what their supervisor decided."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from content.inputs import single_line
from core.task_queue import MAIL_ERRORS, retry_on
from planning.models import DevelopmentPlan


def _plan_url(plan: DevelopmentPlan) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "planning:plan_detail", args=[plan.pk]
    )


@retry_on(*MAIL_ERRORS)
@task()
def plan_submitted_notify(*, plan_id: int) -> None:
    """E-mail the owner's confirmed supervisor, in Bahasa Indonesia, that a plan waits for them."""
    plan = (
        DevelopmentPlan.objects.select_related("user", "user__supervisor")
        .filter(pk=plan_id, status=DevelopmentPlan.Status.SUBMITTED)
        .first()
    )
    if plan is None or plan.user.supervisor is None or not plan.user.supervisor.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(name)s's development plan for %(year)s waits for you") % {
            "name": plan.user.full_name,
            "year": plan.year,
        }
        body = render_to_string(
            "planning/email/plan_submitted.txt", {"plan": plan, "url": _plan_url(plan)}
        )
    send_mail(single_line(subject), body, None, [plan.user.supervisor.email])


@retry_on(*MAIL_ERRORS)
@task()
def plan_decided_notify(*, plan_id: int) -> None:
    """E-mail the owner, in Bahasa Indonesia, that their supervisor agreed or returned their
    plan, with the supervisor's note."""
    plan = DevelopmentPlan.objects.select_related("user").filter(pk=plan_id).first()
    if plan is None or not plan.user.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your development plan for %(year)s: %(status)s") % {
            "year": plan.year,
            "status": plan.get_status_display().lower(),
        }
        body = render_to_string(
            "planning/email/plan_decided.txt", {"plan": plan, "url": _plan_url(plan)}
        )
    send_mail(single_line(subject), body, None, [plan.user.email])
