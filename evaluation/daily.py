"""The evaluation's daily job (see core.daily), registered by EvaluationConfig.ready()."""

from datetime import date

from core.daily import daily_job
from evaluation.services import behaviour_followups_schedule


@daily_job(name="behaviour_followups_schedule", order=20)
def behaviour_followups_daily(today: date) -> str:
    """Supervisors' follow-ups (Kirkpatrick level 3) that fell due are created and e-mailed."""
    followups = behaviour_followups_schedule()
    return (
        f"{followups.created} supervisor follow-up(s) created, {followups.queued} e-mail(s) queued."
    )
