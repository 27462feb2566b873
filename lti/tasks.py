"""Background work of LTI: a completed course's score (its final test's, or full marks) and
completion sent to the platform's line item through Assignment and Grade Services (a
client-credentials token from the platform's token URL, asked with a JWT signed by the tool's
key). Retried with backoff while the platform is down; sending the same score again is harmless
(the platform keeps the latest)."""

import requests
from django.utils import timezone
from django_tasks import task
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiServiceException
from pylti1p3.grade import Grade
from pylti1p3.service_connector import ServiceConnector

from core.task_queue import retry_on
from learners.models import Enrollment
from lti.models import GradeLink
from lti.tool import PlatformSession, registration_of


@retry_on(requests.RequestException, LtiServiceException)
@task()
def score_send(*, grade_link_id: int, enrollment_id: int) -> None:
    link = (
        GradeLink.objects.select_related("identity__platform")
        .filter(pk=grade_link_id, identity__platform__is_active=True)
        .first()
    )
    enrollment = Enrollment.objects.filter(
        pk=enrollment_id, status=Enrollment.Status.COMPLETED
    ).first()
    if link is None or enrollment is None:
        return
    connector = ServiceConnector(
        registration_of(link.identity.platform), requests_session=PlatformSession()
    )
    service = AssignmentsGradesService(
        connector, {"scope": list(link.scopes), "lineitem": link.lineitem_url}
    )
    # The final test's score (0-100) when the course has one; a course completed without one
    # (its lessons done) is full marks.
    score = 100 if enrollment.final_score is None else float(enrollment.final_score)
    grade = (
        Grade()
        .set_score_given(score)
        .set_score_maximum(100)
        .set_activity_progress("Completed")
        .set_grading_progress("FullyGraded")
        .set_timestamp(enrollment.completed_at.isoformat())
        .set_user_id(link.identity.sub)
    )
    service.put_grade(grade)
    GradeLink.objects.filter(pk=link.pk).update(last_sent_at=timezone.now())
