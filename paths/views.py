"""Pages of learning paths: the list of published paths, following and leaving one (POST), the
path certificate's PDF (its holder only) and its public verification page (behind the QR code)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from content.translation import translated_title_of
from learners.certificate_views import pdf_drawn_download
from learners.certificates import (
    CertificateStatus,
    certificate_pdf_is_stored,
    certificate_pdf_language,
)
from paths.certificates import (
    path_certificate_holder_erased,
    path_certificate_pdf_filename,
    path_certificate_pdf_store,
    path_certificate_pdf_translation,
    path_certificate_pdf_translation_filename,
)
from paths.models import LearningPathPage, PathCertificate
from paths.selectors import live_paths
from paths.services import path_follow, path_leave

PATHS_PER_PAGE = 20


def path_list(request):
    """Every published learning path, by title (public, as the catalog)."""
    paths = Paginator(live_paths(), PATHS_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(request, "paths/path_list.html", {"paths": paths})


def _live_path(pk: int) -> LearningPathPage:
    return get_object_or_404(LearningPathPage.objects.live().public(), pk=pk)


@require_POST
@login_required
def follow(request, pk: int):
    path = _live_path(pk)
    enrollment = path_follow(user=request.user, path=path)
    if enrollment.completed_at:
        messages.success(request, _("You have already done every required step: path completed!"))
    else:
        messages.success(request, _("You are following this learning path."))
    return redirect(path.get_url(request))


@require_POST
@login_required
def leave(request, pk: int):
    path = get_object_or_404(LearningPathPage.objects.filter(enrollments__user=request.user), pk=pk)
    try:
        path_leave(user=request.user, path=path)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("You no longer follow this path. The steps you did still count.")
        )
    return redirect(path.get_url(request) or "learners:my_learning")


@dataclass(frozen=True)
class PathCertificateVerification:
    """What anyone holding the code may see: enough to tell a genuine certificate from a forged
    one, nothing personal beyond the printed name."""

    status: CertificateStatus
    serial: str = ""
    holder_name: str = ""
    path_title: str = ""
    # The path's title in the reader's language where the path is translated (the printed
    # title stays the Indonesian one the certificate was issued with).
    path_title_translated: str = ""
    jp: Decimal | None = None
    steps: tuple = ()
    completed_on: date | None = None
    provider_name: str = ""
    holder_erased: bool = False


def verify(request, code: str):
    """Public: is the path certificate with this code genuine?"""
    certificate = (
        PathCertificate.objects.filter(code=code)
        # The holder's id in the same query: the page links the PDF for its holder only.
        .annotate(
            holder_erased=path_certificate_holder_erased(), holder_id=F("enrollment__user_id")
        )
        .only(
            "serial",
            "holder_name",
            "path_title",
            "path_page_id",
            "jp",
            "steps",
            "completed_on",
            "provider_name",
        )
        .first()
    )
    if certificate is None:
        verification = PathCertificateVerification(status=CertificateStatus.UNKNOWN)
    else:
        verification = PathCertificateVerification(
            status=CertificateStatus.VALID,
            serial=certificate.serial or "",
            holder_name="" if certificate.holder_erased else certificate.holder_name,
            holder_erased=certificate.holder_erased,
            path_title=certificate.path_title,
            path_title_translated=translated_title_of(certificate.path_page_id),
            jp=certificate.jp,
            steps=tuple(certificate.steps),
            completed_on=certificate.completed_on,
            provider_name=certificate.provider_name,
        )
    response = TemplateResponse(
        request,
        "paths/certificate_verify.html",
        {
            "verification": verification,
            "statuses": CertificateStatus,
            "code": code,
            "downloadable": certificate is not None
            and request.user.is_authenticated
            and certificate.holder_id == request.user.pk,
        },
        status=404 if certificate is None else 200,
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
def download_pdf(request, code: str):
    """The PDF (with the holder's NIP), for its holder only: anyone else gets a 404, as for a
    code that does not exist.

    In Indonesian, and with `?lang=id` in any language, the official PDF (stored once); in
    another interface language, a translation of it drawn on request (never stored)."""
    certificate = (
        PathCertificate.objects.filter(code=code, enrollment__user=request.user)
        .select_related("enrollment")
        .first()
    )
    if certificate is None:
        raise Http404
    language = certificate_pdf_language(
        interface_language=translation.get_language(), official=request.GET.get("lang") == "id"
    )
    if language is not None:
        return pdf_drawn_download(
            path_certificate_pdf_translation(certificate, language=language),
            filename=path_certificate_pdf_translation_filename(certificate, language=language),
        )
    if not certificate_pdf_is_stored(certificate):
        # The background task has not run yet (or the file was lost): render it now.
        certificate = path_certificate_pdf_store(certificate_id=certificate.pk)
        if certificate is None:
            raise Http404
    response = FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=path_certificate_pdf_filename(certificate),
        content_type="application/pdf",
    )
    patch_cache_control(response, private=True, no_store=True)
    return response
