"""Credential pages: the public issuer profile and status lists (JSON), the holder's downloads
(JSON and baked PNG), and the public verification form."""

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_http_methods

from content.models import Organization
from credentials import services
from credentials.baking import badge_png
from credentials.documents import STATUS_LIST_SIZE, issuer_profile_published
from credentials.forms import CredentialVerifyForm
from credentials.models import Credential, IssuerKey
from credentials.verification import CheckStatus, credential_verify
from learners.models import Certificate
from paths.models import PathCertificate

_JSON_LD = "application/ld+json"
# A status list number beyond this is certainly not in use (2^31 credentials).
_MAX_LIST_NUMBER = 2**31 // STATUS_LIST_SIZE


def _json(document: dict, *, content_type: str = _JSON_LD, filename: str = "") -> HttpResponse:
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type=content_type
    )
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def issuer(request, slug: str):
    """Public: the organization's issuer Profile with every key it signed with."""
    organization = get_object_or_404(Organization, slug=slug)
    keys = list(IssuerKey.objects.filter(organization=organization).order_by("created_at"))
    response = _json(issuer_profile_published(organization, keys))
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=300)
    return response


@require_GET
def status_list(request, slug: str, number: int):
    """Public: the organization's signed revocation list `number`."""
    organization = get_object_or_404(Organization, slug=slug)
    # List 0 always exists (all zeros before the first credential); a later one once in use.
    if number > _MAX_LIST_NUMBER or (
        number
        and not Credential.objects.filter(
            organization=organization, status_index__gte=number * STATUS_LIST_SIZE
        ).exists()
    ):
        raise Http404
    response = _json(services.status_list_signed(organization=organization, number=number))
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=300)
    return response


def _owned(request, model, code: str):
    """The holder's own certificate; anyone else gets a 404 (as for a code that does not
    exist), so the address never tells whose certificate is whose."""
    certificate = (
        model.objects.filter(code=code, enrollment__user=request.user)
        .select_related("enrollment")
        .first()
    )
    if certificate is None:
        raise Http404
    return certificate


def _stem(certificate) -> str:
    return (certificate.serial or certificate.code).replace("/", "-").replace("\\", "-")


def _download(credential: Credential, certificate, fmt: str, prefix: str) -> HttpResponse:
    stem = f"{prefix}-{_stem(certificate)}"
    if fmt == "png":
        jp_text = f"{certificate.jp.normalize():f}"
        response = HttpResponse(
            badge_png(
                credential=credential.document, title=certificate.course_title, jp_text=jp_text
            ),
            content_type="image/png",
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.png"'
    else:
        response = _json(credential.document, filename=f"{stem}.json")
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_GET
def certificate_credential(request, code: str, fmt: str):
    """The holder's course certificate as an Open Badges credential (JSON or baked PNG)."""
    # A revoked certificate's credential still downloads: it verifies as revoked.
    certificate = _owned(request, Certificate, code)
    certificate = Certificate.objects.select_related("enrollment__course__provider").get(
        pk=certificate.pk
    )
    credential = services.credential_for_certificate(certificate=certificate)
    return _download(credential, certificate, fmt, "lencana")


@login_required
@require_GET
def path_certificate_credential(request, code: str, fmt: str):
    """The holder's path certificate as an Open Badges credential (JSON or baked PNG)."""
    certificate = _owned(request, PathCertificate, code)
    certificate = PathCertificate.objects.select_related("enrollment__path__provider").get(
        pk=certificate.pk
    )
    credential = services.credential_for_path_certificate(certificate=certificate)
    return _download(credential, certificate, fmt, "lencana-jalur")


@require_http_methods(["GET", "POST"])
def verify(request):
    """Public: check a pasted or uploaded credential (JSON or baked PNG)."""
    check = None
    status = 200
    if request.method == "POST":
        form = CredentialVerifyForm(request.POST, request.FILES)
        if form.is_valid():
            check = credential_verify(form.cleaned_data["document"])
        else:
            status = 400
    else:
        form = CredentialVerifyForm()
    response = TemplateResponse(
        request,
        "credentials/verify.html",
        {"form": form, "check": check, "statuses": CheckStatus},
        status=status,
    )
    response["X-Robots-Tag"] = "noindex"
    return response
