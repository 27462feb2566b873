"""The learners' daily job (see core.daily), registered by LearnersConfig.ready()."""

from datetime import date

from core.daily import daily_job
from learners.services import enrollments_expire


@daily_job(name="enrollments_expire", order=10)
def enrollments_expire_daily(today: date) -> str:
    """Certificates past their validity become due for recertification."""
    expired = enrollments_expire(today=today)
    return f"{expired} enrollment(s) now due for recertification."
