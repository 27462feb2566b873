"""The cohorts' daily job (see core.daily), registered by CohortsConfig.ready()."""

from datetime import date

from cohorts.invitations import invitations_expired_remove
from core.daily import daily_job


@daily_job(name="invitations_expired_remove", order=30)
def invitations_expired_remove_daily(today: date) -> str:
    """Expired invitations are listed, and removed LENTERA_INVITATION_DAYS later."""
    expired, removed = invitations_expired_remove()
    return (
        f"{expired} cohort invitation(s) expired and listed, "
        f"{removed} removed after LENTERA_INVITATION_DAYS more days."
    )
