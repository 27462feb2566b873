"""The organization admin's people screen (members awaiting confirmation, staff list import,
supervisor links import, NIP claims) and the sign-up page's "my NIP is used by someone else"
form. Thin: the rules are in `learners.membership` and `learners.imports`.

As for the compliance report, the organization is looked up among those the user administers:
anyone else gets 404.
"""

from allauth.core.ratelimit import consume_or_429
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from learners import imports, membership, staff_list
from learners.membership_forms import NIPHelpForm, StaffListForm, SupervisorLinksForm
from learners.models import User
from learners.permissions import organizations_administered
from learners.tabular import TableFileError, csv_text

PEOPLE_PER_PAGE = 50


def _administered(request: HttpRequest, organization_id: int):
    return get_object_or_404(organizations_administered(request.user), pk=organization_id)


def _members_url(organization_id: int) -> str:
    return reverse("learners:members", kwargs={"organization_id": organization_id})


@login_required
def members(request: HttpRequest, organization_id: int) -> HttpResponse:
    """People awaiting confirmation, open NIP claims and the staff list upload."""
    organization = _administered(request, organization_id)
    pending = Paginator(
        membership.pending_members(organization).select_related("work_unit", "position"),
        PEOPLE_PER_PAGE,
    ).get_page(request.GET.get("page"))
    claims = membership.nip_claims_for(request.user, organization=organization)
    return TemplateResponse(
        request,
        "learners/members.html",
        {
            "organization": organization,
            "page_obj": pending,
            "claims": list(claims[:200]),
            "staff_list_form": StaffListForm(),
        },
    )


@login_required
@require_POST
def member_decide(request: HttpRequest, organization_id: int, user_id: int) -> HttpResponse:
    """Confirm or reject one person's membership."""
    organization = _administered(request, organization_id)
    person = get_object_or_404(User, pk=user_id, organization=organization)
    confirm = request.POST.get("decision") == "confirm"
    if request.POST.get("decision") not in ("confirm", "reject"):
        messages.error(request, _("Choose to confirm or to reject."))
        return redirect(_members_url(organization.pk))
    try:
        membership.membership_decide(user=person, decided_by=request.user, confirm=confirm)
    except membership.MembershipError as error:
        messages.error(request, error.message)
    else:
        message = (
            _("%(name)s is confirmed as a member of %(organization)s.")
            if confirm
            else _("%(name)s is not a member of %(organization)s.")
        )
        messages.success(request, message % {"name": person, "organization": organization})
    return redirect(_members_url(organization.pk))


@login_required
@require_POST
def staff_list_import(request: HttpRequest, organization_id: int) -> HttpResponse:
    """Confirm the pending people an uploaded staff list names, all at once or not at all."""
    organization = _administered(request, organization_id)
    form = StaffListForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a CSV file to upload."))
        return redirect(_members_url(organization.pk))
    try:
        result = staff_list.staff_list_confirm(
            organization=organization,
            data=form.cleaned_data["file"].read(),
            imported_by=request.user,
        )
    except staff_list.StaffListError as error:
        messages.error(request, _("Nothing was confirmed: %(error)s") % {"error": error})
        return redirect(_members_url(organization.pk))
    messages.success(
        request,
        _(
            "Staff list imported: %(confirmed)s confirmed, %(already)s already confirmed, "
            "%(unmatched)s rows matching nobody awaiting confirmation."
        )
        % {
            "confirmed": len(result.confirmed),
            "already": result.already_confirmed,
            "unmatched": result.unmatched_rows,
        },
    )
    return redirect(_members_url(organization.pk))


@login_required
@require_http_methods(["GET", "POST"])
def supervisor_links_import(request: HttpRequest, organization_id: int) -> HttpResponse:
    """Set who supervises whom from a CSV of the organization's structure, all at once or not
    at all; a refused file is shown again with every error by row."""
    organization = _administered(request, organization_id)
    form = SupervisorLinksForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > settings.LENTERA_IMPORT_MAX_BYTES:
                raise imports.ImportRefused(
                    [
                        _("The file is too large: at most %(size)s MB.")
                        % {"size": settings.LENTERA_IMPORT_MAX_BYTES // (1024 * 1024)}
                    ]
                )
            try:
                text = csv_text(upload.read())
            except TableFileError as error:
                raise imports.ImportRefused([str(error)]) from error
            result = imports.supervisor_links_import(
                organization=organization, text=text, imported_by=request.user
            )
        except imports.ImportRefused as refused:
            errors = refused.errors
        else:
            messages.success(
                request,
                _("Supervisor links imported: %(linked)s set, %(unchanged)s already set.")
                % {"linked": result.linked, "unchanged": result.unchanged},
            )
            return redirect(_members_url(organization.pk))
    return TemplateResponse(
        request,
        "learners/supervisor_links_import.html",
        {"organization": organization, "form": form, "errors": errors},
        status=400 if errors or form.errors else 200,
    )


@login_required
@require_POST
def nip_claim_decide(request: HttpRequest, organization_id: int, claim_id: int) -> HttpResponse:
    """Decide who keeps a claimed NIP."""
    organization = _administered(request, organization_id)
    claim = get_object_or_404(membership.nip_claims_for(request.user), pk=claim_id)
    decision = request.POST.get("decision")
    if decision not in ("holder", "claimant"):
        messages.error(request, _("Choose who keeps the NIP."))
        return redirect(_members_url(organization.pk))
    try:
        membership.nip_claim_decide(
            claim=claim, decided_by=request.user, give_to_claimant=decision == "claimant"
        )
    except membership.MembershipError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The NIP claim is decided."))
    return redirect(_members_url(organization.pk))


@require_http_methods(["GET", "POST"])
def nip_help(request: HttpRequest) -> HttpResponse:
    """ "My NIP is used by someone else", for anyone, signed in or not. The answer never says
    whether an account holds the NIP."""
    form = NIPHelpForm(request.POST or None)
    if request.method == "POST":
        if limited := consume_or_429(request, action="nip_help"):
            return limited
        if form.is_valid():
            data = form.cleaned_data
            membership.nip_help_request(
                name=data["full_name"],
                email=data["email"],
                nip=data["nip"],
                organization=data["organization"],
                message=data["message"],
            )
            messages.success(
                request,
                _(
                    "Thank you. Your request was sent to the admins of %(organization)s, who "
                    "will write to you at %(email)s."
                )
                % {"organization": data["organization"], "email": data["email"]},
            )
            return redirect("learners:nip_help")
    return TemplateResponse(request, "learners/nip_help.html", {"form": form})
