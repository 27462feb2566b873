"""Background work for the evaluation loop: what the daily run should not wait for."""

from django_tasks import task

from core.task_queue import MAIL_ERRORS, retry_on
from evaluation.followup_links import behaviour_followup_send


@retry_on(*MAIL_ERRORS)
@task()
def behaviour_followup_email(*, followup_id: int) -> None:
    """E-mail a supervisor their follow-up link (queued by `behaviour_followups_schedule`).

    Safe to run twice: a follow-up already sent or answered is left alone.
    """
    behaviour_followup_send(followup_id=followup_id)
