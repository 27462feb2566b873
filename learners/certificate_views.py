"""Certificate pages: the public verification page behind the QR code, and the PDF download."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from content.translation import translated_title_of
from learners.certificates import (
    CertificateStatus,
    certificate_can_download,
    certificate_holder_erased,
    certificate_pdf_filename,
    certificate_pdf_is_stored,
    certificate_pdf_language,
    certificate_pdf_store,
    certificate_pdf_translation,
    certificate_pdf_translation_filename,
    certificate_status,
)
from learners.models import Certificate
from learners.permissions import trains_enrollment


@dataclass(frozen=True)
class CertificateVerification:
    """What anyone holding the verification code may see: enough to tell a genuine certificate
    from a forged one, and nothing personal beyond the name printed on it (no NIP, no agency)."""

    status: CertificateStatus
    serial: str = ""
    holder_name: str = ""
    course_title: str = ""
    # The course's title in the reader's language where the course is translated (the printed
    # title stays the Indonesian one the certificate was issued with).
    course_title_translated: str = ""
    jp: Decimal | None = None
    # The post-test's band (predikat) printed on the certificate; empty when it has none.
    pass_band: str = ""
    completed_on: date | None = None
    provider_name: str = ""
    valid_until: date | None = None
    revoked_on: date | None = None
    # The holder deleted their account (UU PDP right to erasure): the certificate stays a
    # verifiable record, without their name.
    holder_erased: bool = False


def _verification(code: str) -> CertificateVerification:
    certificate = (
        Certificate.objects.filter(code=code)
        .annotate(holder_erased=certificate_holder_erased())
        .only(
            "serial",
            "holder_name",
            "course_title",
            "course_page_id",
            "jp",
            "pass_band",
            "completed_on",
            "provider_name",
            "valid_until",
            "revoked_at",
        )
        .first()
    )
    status = certificate_status(certificate)
    if certificate is None:
        return CertificateVerification(status=status)
    return CertificateVerification(
        status=status,
        serial=certificate.serial or "",
        holder_name="" if certificate.holder_erased else certificate.holder_name,
        holder_erased=certificate.holder_erased,
        course_title=certificate.course_title,
        course_title_translated=translated_title_of(certificate.course_page_id),
        jp=certificate.jp,
        pass_band=certificate.pass_band,
        completed_on=certificate.completed_on,
        provider_name=certificate.provider_name,
        valid_until=certificate.valid_until,
        revoked_on=(timezone.localdate(certificate.revoked_at) if certificate.revoked_at else None),
    )


def _downloadable_by(user, code: str) -> bool:
    """Whether `user` may download the certificate's PDF (its holder, their organization's
    admins): the verification page then links it. Signed-in visitors only, so the public
    page's queries stay the same for everyone else."""
    if not user.is_authenticated:
        return False
    certificate = Certificate.objects.select_related("enrollment__user").filter(code=code).first()
    return certificate is not None and certificate_can_download(user=user, certificate=certificate)


def verify(request, code: str):
    """Public: is the certificate with this code genuine, and is it still valid?"""
    verification = _verification(code)
    response = TemplateResponse(
        request,
        "learners/certificate_verify.html",
        {
            "verification": verification,
            "statuses": CertificateStatus,
            "code": code,
            "downloadable": verification.status != CertificateStatus.UNKNOWN
            and _downloadable_by(request.user, code),
        },
        status=404 if verification.status == CertificateStatus.UNKNOWN else 200,
    )
    response["X-Robots-Tag"] = "noindex"
    return response


def pdf_drawn_download(content: bytes, *, filename: str) -> HttpResponse:
    """A PDF drawn on request (a certificate's translation) as a download no cache keeps: it
    carries the holder's NIP."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
def download_pdf(request, code: str):
    """The certificate's PDF, for its holder and the admins of the holder's organization.

    Anyone else gets a 404, as for a code that does not exist, so the download URL never
    confirms whose certificate is whose. When the course requires its reaction survey, the
    holder is sent to it first (only the enrollment's field is checked: learners does not
    depend on the evaluation app).

    In Indonesian, and with `?lang=id` in any language, the official PDF (stored once); in
    another interface language, a translation of it drawn on request (never stored).
    """
    certificate = (
        Certificate.objects.select_related("enrollment__user", "enrollment__course")
        .filter(code=code)
        .first()
    )
    if certificate is None or not certificate_can_download(
        user=request.user, certificate=certificate
    ):
        raise Http404
    enrollment = certificate.enrollment
    if (
        enrollment.user_id == request.user.pk
        and enrollment.course.reaction_survey_required
        and enrollment.evaluation_submitted_at is None
        # A trainer who took their own course does not rate it (evaluation.services).
        and not trains_enrollment(request.user, enrollment)
    ):
        # The course asks for its reaction survey (Kirkpatrick L1) before the certificate.
        messages.info(request, _("Please evaluate the course first: it takes a minute."))
        return redirect("evaluation:evaluation_form", enrollment_id=enrollment.pk)
    language = certificate_pdf_language(
        interface_language=translation.get_language(), official=request.GET.get("lang") == "id"
    )
    if language is not None:
        return pdf_drawn_download(
            certificate_pdf_translation(certificate, language=language),
            filename=certificate_pdf_translation_filename(certificate, language=language),
        )
    if not certificate_pdf_is_stored(certificate):
        # The background task has not run yet (or the file was lost): render it now.
        certificate = certificate_pdf_store(certificate_id=certificate.pk)
        if certificate is None:
            raise Http404
    response = FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=certificate_pdf_filename(certificate),
        content_type="application/pdf",
    )
    patch_cache_control(response, private=True, no_store=True)
    return response
