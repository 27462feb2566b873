"""Background work for learners: what a request should not wait for."""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import OperationalError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from content.inputs import single_line
from core.task_queue import MAIL_ERRORS, retry_on
from learners import progress
from learners.certificates import certificate_pdf_store, certificate_verify_url
from learners.models import Certificate, Enrollment, User


@task()
def certificate_pdf_generate(*, certificate_id: int) -> None:
    """Render and store a newly issued certificate's PDF (queued by `certificate_issue`).

    Safe to run twice, and a no-op for a certificate deleted before the worker got to it.
    """
    certificate_pdf_store(certificate_id=certificate_id)


@retry_on(*MAIL_ERRORS)
@task()
def certificate_issued_notify(*, certificate_id: int) -> None:
    """E-mail the holder that their certificate is ready, in Bahasa Indonesia."""
    certificate = (
        Certificate.objects.select_related("enrollment__user").filter(pk=certificate_id).first()
    )
    if certificate is None or not certificate.enrollment.user.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your certificate for %(course)s is ready") % {
            "course": certificate.course_title
        }
        body = render_to_string(
            "learners/email/certificate_issued.txt",
            {
                "certificate": certificate,
                "verify_url": certificate_verify_url(certificate),
                "my_learning_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
                + reverse("learners:my_learning"),
            },
        )
    send_mail(single_line(subject), body, None, [certificate.enrollment.user.email])


@retry_on(*MAIL_ERRORS)
@task()
def enrollment_decided_notify(*, enrollment_id: int) -> None:
    """Tell a learner, in Bahasa Indonesia, that their enrollment request was decided."""
    enrollment = (
        Enrollment.objects.select_related("user", "course").filter(pk=enrollment_id).first()
    )
    if enrollment is None or not enrollment.user.email:
        return
    approved = enrollment.status == Enrollment.Status.ACTIVE
    with translation.override(settings.LANGUAGE_CODE):
        subject = (
            _("You can start %(course)s") if approved else _("Your request for %(course)s")
        ) % {"course": enrollment.course.title}
        body = render_to_string(
            "learners/email/enrollment_decided.txt",
            {
                "enrollment": enrollment,
                "approved": approved,
                "course_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
                + enrollment.course.get_url_parts()[2],
            },
        )
    send_mail(single_line(subject), body, None, [enrollment.user.email])


@retry_on(*MAIL_ERRORS)
@task()
def supervisor_link_requested_notify(*, learner_id: int) -> None:
    """Ask the person a learner named as supervisor, in Bahasa Indonesia, to confirm or decline
    (learners.supervisors). Nothing is sent once they answered or the learner named another."""
    learner = (
        User.objects.select_related("supervisor")
        .filter(pk=learner_id, supervisor__isnull=False, supervisor_accepted_at__isnull=True)
        .first()
    )
    if learner is None or not learner.supervisor.is_active or not learner.supervisor.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(name)s named you as their direct supervisor") % {"name": learner.full_name}
        body = render_to_string(
            "learners/email/supervisor_link_requested.txt",
            {
                "learner": learner,
                "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
                + reverse("learners:supervisor_requests"),
            },
        )
    send_mail(single_line(subject), body, None, [learner.supervisor.email])


@retry_on(OperationalError)
@task()
def course_progress_recount(*, course_id: int) -> None:
    """Count again the stored progress of a course's enrollments after its set of live
    required lessons changed (queued once per course by the transaction that changed it, see
    `course_progress_recount_on_commit` below). Exact whenever it runs, so safe to
    run twice; tried again when the database gave up waiting for a row lock."""
    progress.course_progress_recount(course_id)


class _PendingRecount:
    """The courses whose lessons changed in one transaction, counted again once it commits.

    Registered with `on_commit` at every change (so a change inside a savepoint that is rolled
    back drops only its own registration), it runs once, however many times it was registered:
    unpublishing a module of 30 lessons recounts its course once, not 30 times.
    """

    def __init__(self) -> None:
        self.course_ids: set[int] = set()
        self.ran = False

    def __call__(self) -> None:
        if self.ran:
            return
        self.ran = True
        for course_id in sorted(self.course_ids):
            course_progress_recount.enqueue(course_id=course_id)


def course_progress_recount_on_commit(course_ids: Iterable[int]) -> None:
    """Count these courses' enrollments again once the current transaction commits: one
    `course_progress_recount` task per course per transaction, so an editor's publish neither
    waits for nor locks every learner's row inside its transaction.

    The task counts every enrollment of the course when it runs, so an enrollment created with
    the course's previous count while the change committed is counted too, provided it was
    committed before the task locked its batch; one committed later keeps the count it was
    created with until the next change or `recount_progress` (a window of milliseconds between
    the enrollment's count and its commit). A course whose change was rolled back in a
    savepoint may be counted anyway: a count is always exact.
    """
    course_ids = set(course_ids)
    if not course_ids:
        return
    connection = transaction.get_connection()
    pending = getattr(connection, "_lentera_progress_recount", None)
    # Joined only while this transaction will still run it: not once it ran, nor when every
    # registration of it was rolled back (it would count those changes' courses for nothing).
    if (
        pending is None
        or pending.ran
        or not any(entry[1] is pending for entry in connection.run_on_commit)
    ):
        pending = connection._lentera_progress_recount = _PendingRecount()
    pending.course_ids |= course_ids
    transaction.on_commit(pending)
