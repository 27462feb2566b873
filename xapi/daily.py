"""xAPI's daily job (see core.daily), registered by XapiConfig.ready()."""

from datetime import date

from django.utils import timezone

from core.daily import daily_job
from xapi.services import deliveries_overdue, xapi_enabled
from xapi.tasks import deliveries_enqueue


@daily_job(name="xapi_overdue", order=95)
def xapi_overdue_daily(today: date) -> str:
    """Queue again the statements whose next attempt is overdue (their task was lost, or the
    task backend cannot wait for a time)."""
    if not xapi_enabled():
        return "xAPI off (no LENTERA_XAPI_ENDPOINT)."
    overdue = deliveries_overdue(now=timezone.now())
    batches = deliveries_enqueue(overdue)
    return f"{len(overdue)} overdue xAPI statement(s) queued again in {batches} task(s)."
