"""xAPI's endpoint of the learner API (/api/v1/), a router `lentera.learner_api` adds: the lesson
page's script telling that an enrolled learner read a plain lesson ("experienced")."""

from ninja import Router, Status

from core.api import INVALID_INPUT, NOT_SIGNED_IN, ErrorOut
from xapi.services import lesson_experienced_record
from xapi.tasks import delivery_send_after_commit

router = Router(tags=["xapi"])


@router.post(
    "/lessons/{lesson_id}/experienced",
    response={204: None, 403: ErrorOut, 404: ErrorOut, **NOT_SIGNED_IN, **INVALID_INPUT},
    summary="Record that the learner read a lesson (xAPI experienced; idempotent)",
)
def lesson_experienced(request, lesson_id: int):
    """Once per enrollment and plain lesson, whatever the number of calls; nothing is written
    when xAPI is off (LENTERA_XAPI_ENDPOINT empty). Refused with 404 for a lesson not published
    or not plain (a quiz, a package, an assignment) and 403 without an enrollment in its course."""
    delivery = lesson_experienced_record(user=request.user, lesson_id=lesson_id)
    if delivery is not None:
        delivery_send_after_commit(delivery.pk)
    return Status(204, None)
