"""Background work of development records: telling the owner of a decision."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from content.inputs import single_line
from core.task_queue import MAIL_ERRORS, retry_on
from development.models import DevelopmentRecord


@retry_on(*MAIL_ERRORS)
@task()
def record_decided_notify(*, record_id: int) -> None:
    """E-mail the owner, in Bahasa Indonesia, that their record was verified, returned for
    changes, rejected or revoked, with the verifier's note."""
    record = DevelopmentRecord.objects.select_related("owner").filter(pk=record_id).first()
    if record is None or not record.owner.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your development record “%(title)s”: %(status)s") % {
            "title": record.title,
            "status": record.get_status_display().lower(),
        }
        body = render_to_string(
            "development/email/record_decided.txt",
            {
                "record": record,
                "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
                + reverse("development:record_detail", args=[record.pk]),
            },
        )
    send_mail(single_line(subject), body, None, [record.owner.email])
