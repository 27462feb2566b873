"""A path certificate's public verification URL, who may download it, and its PDF, drawn by the
course certificate's drawing (`learners.certificate_pdf`): a path certificate carries the same
printed fields, so both read alike.

As for a course certificate, the stored PDF is the official one in Bahasa Indonesia; under another
interface language the download is a translation of it drawn on request and never stored
(`path_certificate_pdf_translation`), the official PDF one link away."""

import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEvent
from content.translation import translated_title_of
from learners.certificate_pdf import certificate_pdf_render
from learners.certificates import certificate_pdf_is_stored
from paths.models import PathCertificate


def path_certificate_verify_url(certificate: PathCertificate) -> str:
    """The absolute public verification URL, in the default language (no /en/ prefix)."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("paths:certificate_verify", args=[certificate.code])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def path_certificate_holder_erased() -> Exists:
    """Whether the holder erased their account (see `learners.certificates`): the certificate
    stays verifiable, without the name."""
    return Exists(
        AuditEvent.objects.filter(
            subject_user_id=OuterRef("enrollment__user_id"),
            action=AuditEvent.Action.ACCOUNT_DELETED,
        )
    )


def path_certificate_pdf_filename(certificate: PathCertificate) -> str:
    stem = (certificate.serial or certificate.code).replace("/", "-").replace("\\", "-")
    return f"sertifikat-jalur-{stem}.pdf"


def path_certificate_pdf_translation(certificate: PathCertificate, *, language: str) -> bytes:
    """A translation of the official path certificate into `language`, drawn on request and
    never stored: the path under its translated title where the path is translated (one
    query)."""
    return certificate_pdf_render(
        certificate,
        verify_url=path_certificate_verify_url(certificate),
        language=language,
        course_title_translated=translated_title_of(certificate.path_page_id),
    )


def path_certificate_pdf_translation_filename(
    certificate: PathCertificate, *, language: str
) -> str:
    """The download name of a translation: the official one's, with the language."""
    return path_certificate_pdf_filename(certificate).removesuffix(".pdf") + f"-{language}.pdf"


def path_certificate_pdf_store(*, certificate_id: int) -> PathCertificate | None:
    """Render and store a path certificate's PDF once (a stored PDF is kept); None if gone."""
    with transaction.atomic():
        certificate = PathCertificate.objects.select_for_update().filter(pk=certificate_id).first()
        if certificate is None or certificate_pdf_is_stored(certificate):
            return certificate
        content = certificate_pdf_render(
            certificate, verify_url=path_certificate_verify_url(certificate)
        )
        # A random part in the stored name: the serial is guessable, the PDF carries the NIP.
        stem = path_certificate_pdf_filename(certificate).removesuffix(".pdf")
        certificate.pdf.save(
            f"{stem}-{secrets.token_urlsafe(12)}.pdf", ContentFile(content), save=False
        )
        certificate.save(update_fields=["pdf"])
    return certificate
