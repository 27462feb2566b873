"""Background work of learning paths: the path certificate's PDF and the e-mail saying it is
issued."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from content.inputs import single_line
from core.task_queue import MAIL_ERRORS, retry_on
from paths.certificates import path_certificate_pdf_store, path_certificate_verify_url
from paths.models import PathCertificate


@task()
def path_certificate_pdf_generate(*, certificate_id: int) -> None:
    """Render and store a newly issued path certificate's PDF (queued at issue); safe twice."""
    path_certificate_pdf_store(certificate_id=certificate_id)


@retry_on(*MAIL_ERRORS)
@task()
def path_certificate_issued_notify(*, certificate_id: int) -> None:
    """E-mail the holder that their path certificate is issued, in Bahasa Indonesia."""
    certificate = (
        PathCertificate.objects.select_related("enrollment__user").filter(pk=certificate_id).first()
    )
    if certificate is None or not certificate.enrollment.user.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("You completed the learning path %(path)s") % {"path": certificate.path_title}
        body = render_to_string(
            "paths/email/path_certificate_issued.txt",
            {
                "certificate": certificate,
                "verify_url": path_certificate_verify_url(certificate),
                "my_learning_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
                + reverse("learners:my_learning"),
            },
        )
    send_mail(single_line(subject), body, None, [certificate.enrollment.user.email])
