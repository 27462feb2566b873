"""Privacy pages: the privacy notice, a person's data download and account deletion, and the
organization admin's audit log."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from audit.selectors import audit_events
from learners.permissions import is_platform_admin, organizations_administered
from privacy.data_export import personal_data_export
from privacy.erasure import ErasureRefused, account_erase
from privacy.forms import AccountDeleteForm, AuditFiltersForm

EVENTS_PER_PAGE = 50


def privacy_notice(request: HttpRequest) -> TemplateResponse:
    """The privacy notice: a legal text, written in full in each interface language."""
    template = (
        "privacy/privacy_en.html"
        if translation.get_language() == "en"
        else "privacy/privacy_id.html"
    )
    # The controller's contact for data requests, when the deployment configures one.
    contact_email = settings.LENTERA_PRIVACY_CONTACT_EMAIL
    return TemplateResponse(request, template, {"contact_email": contact_email})


@login_required
@require_POST
def data_download(request: HttpRequest) -> HttpResponse:
    """The signed-in person's data as a ZIP archive (data.json and certificate PDFs).

    A POST, so a link on another site cannot make a browser download (and log) it.
    """
    archive = personal_data_export(user=request.user)
    response = HttpResponse(archive, content_type="application/zip")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="data-lentera-{stamp}.zip"'
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    """Delete one's own account after re-entering the password (see privacy.erasure)."""
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            account_erase(user=request.user)
        except ErasureRefused as error:
            messages.error(request, error.message)
            return redirect("privacy:account_delete")
        logout(request)
        messages.success(
            request,
            _(
                "Your account has been deleted. Your certificates stay verifiable, without "
                "your name."
            ),
        )
        return redirect("privacy:notice")
    return TemplateResponse(
        request,
        "privacy/account_delete.html",
        {"form": form, "has_password": request.user.has_usable_password()},
    )


def _audit_page(request, *, organization, organization_id: int | None) -> TemplateResponse:
    form = AuditFiltersForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_events(
        organization_id=organization_id,
        action=filters.get("action", ""),
        date_from=filters.get("dari"),
        date_to=filters.get("sampai"),
    )
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "privacy/audit_log.html",
        {"organization": organization, "form": form, "page_obj": page},
        # Filters that cannot be used: the page says which, and the status says it too.
        status=400 if form.errors else 200,
    )


@login_required
def audit_index(request: HttpRequest) -> HttpResponse:
    """The organizations whose audit log the user may read; straight to it when there is one."""
    organizations = list(organizations_administered(request.user).order_by("name"))
    if not organizations:
        raise Http404
    if len(organizations) == 1 and not is_platform_admin(request.user):
        return redirect("privacy:audit_log", organization_id=organizations[0].pk)
    return TemplateResponse(
        request,
        "privacy/audit_index.html",
        {"organizations": organizations, "sees_all": is_platform_admin(request.user)},
    )


@login_required
def audit_log(request: HttpRequest, organization_id: int) -> TemplateResponse:
    """Who did what with the organization's people's data; its admins only (others: 404).

    A fixed number of queries whatever the number of events.
    """
    organization = get_object_or_404(organizations_administered(request.user), pk=organization_id)
    return _audit_page(request, organization=organization, organization_id=organization.pk)


@login_required
def audit_log_all(request: HttpRequest) -> TemplateResponse:
    """Every event, whatever the organization (none included): platform administrators only."""
    if not is_platform_admin(request.user):
        raise Http404
    return _audit_page(request, organization=None, organization_id=None)
