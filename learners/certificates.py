"""What a certificate is worth and who may see it: its status today (valid, expired, revoked),
whether its holder erased their account, its public verification URL, who may download its PDF,
and that PDF's storage (the document itself is drawn by `learners.certificate_pdf`)."""

import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from content.translation import translated_title_of
from learners.certificate_pdf import OFFICIAL_LANGUAGE, certificate_pdf_render
from learners.models import Certificate, User
from learners.permissions import can_view_learner_records


class CertificateStatus(models.TextChoices):
    """What a certificate is worth today, as the verification page and the admin tell it."""

    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    UNKNOWN = "unknown", _("Not found")


def certificate_status(certificate: Certificate | None) -> CertificateStatus:
    """Revoked outranks expired; a missing certificate is "not found"."""
    if certificate is None:
        return CertificateStatus.UNKNOWN
    if certificate.is_revoked:
        return CertificateStatus.REVOKED
    if certificate.valid_until and certificate.valid_until < timezone.localdate():
        return CertificateStatus.EXPIRED
    return CertificateStatus.VALID


def certificate_holder_erased() -> Exists:
    """An annotation for a Certificate queryset: whether its holder erased their account (UU PDP
    art. 8), so verification shows the certificate without a name.

    Read from the audit log's `account_deleted` event, which privacy.erasure writes in the same
    transaction as the erasure: the audit log is on the bottom floor, and the privacy app that
    keeps its own erasure record sits above learners. One indexed subquery (subject, time)."""
    return Exists(
        AuditEvent.objects.filter(
            subject_user_id=OuterRef("enrollment__user_id"),
            action=AuditEvent.Action.ACCOUNT_DELETED,
        )
    )


def certificate_verify_url(certificate: Certificate) -> str:
    """The absolute public verification URL, in the default language (no /en/ prefix)."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("learners:certificate_verify", args=[certificate.code])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def certificate_can_download(*, user: User, certificate: Certificate) -> bool:
    """The PDF (with the holder's NIP) is for those who may see the holder's records."""
    return can_view_learner_records(user, certificate.enrollment.user)


def certificate_pdf_filename(certificate: Certificate) -> str:
    """The download name: the serial, safe for file systems (LTR/2025/000001 -> LTR-2025-...)."""
    stem = (certificate.serial or certificate.code).replace("/", "-").replace("\\", "-")
    return f"sertifikat-{stem}.pdf"


def certificate_pdf_language(
    *, interface_language: str | None, official: bool = False
) -> str | None:
    """The language of the certificate PDF to give in this interface language: None for the
    official document in Bahasa Indonesia (the Indonesian interface, or `official` asked for),
    else the interface's, for a translation of it."""
    if official or not interface_language:
        return None
    if interface_language.split("-")[0] == OFFICIAL_LANGUAGE.split("-")[0]:
        return None
    return interface_language


def certificate_pdf_translation(certificate: Certificate, *, language: str) -> bytes:
    """A translation of the official certificate into `language`, drawn on request and never
    stored (the stored PDF is the official one): the course under its translated title where
    the course is translated (one query)."""
    return certificate_pdf_render(
        certificate,
        verify_url=certificate_verify_url(certificate),
        language=language,
        course_title_translated=translated_title_of(certificate.course_page_id),
    )


def certificate_pdf_translation_filename(certificate: Certificate, *, language: str) -> str:
    """The download name of a translation: the official one's, with the language."""
    return certificate_pdf_filename(certificate).removesuffix(".pdf") + f"-{language}.pdf"


def certificate_pdf_is_stored(certificate: Certificate) -> bool:
    """Whether the PDF exists in storage (a restored database may point at a lost file)."""
    return bool(certificate.pdf) and certificate.pdf.storage.exists(certificate.pdf.name)


def certificate_pdf_store(*, certificate_id: int) -> Certificate | None:
    """Render and store a certificate's PDF once; returns the certificate, None if it is gone.

    Idempotent: a stored PDF is kept as it is. The row lock makes a download racing the
    background task wait for it rather than render a second copy.
    """
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().filter(pk=certificate_id).first()
        if certificate is None or certificate_pdf_is_stored(certificate):
            return certificate
        content = certificate_pdf_render(
            certificate, verify_url=certificate_verify_url(certificate)
        )
        # A random part in the stored name: the serial is guessable, and the PDF carries the
        # holder's NIP, so its storage path must not be.
        stem = certificate_pdf_filename(certificate).removesuffix(".pdf")
        certificate.pdf.save(
            f"{stem}-{secrets.token_urlsafe(12)}.pdf", ContentFile(content), save=False
        )
        certificate.save(update_fields=["pdf"])
    return certificate
