"""How people get into a cohort: a trainer adds them one by one or imports a list, and invites
those without an account (sending the invitation again or cancelling it); a learner asks to
join a cohort or a course's open cohort, or follows an invitation link. Thin: rules live in
`cohorts.members`, imports and invitations.

Every trainer view looks the cohort up among those the user trains (`cohorts.views.trained_cohort`),
so a trainer of another cohort, a learner or an admin of another organization gets 404.
"""

from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts import imports, invitations, members, selectors
from cohorts.forms import AddLearnerForm, ImportForm
from cohorts.models import Cohort, CohortImport, CohortInvitation
from cohorts.views import INVITATIONS_LISTED, trained_cohort
from content.inputs import id_parse
from courses.models import CoursePage
from learners.errors import LearningError
from learners.models import Enrollment, User
from learners.nip import nip_mask
from learners.services import enrollment_create

IMPORT_ROWS_PER_PAGE = 100


@login_required
def cohort_learners_add(request, cohort_id: int):
    cohort = trained_cohort(request, cohort_id)
    add_form = AddLearnerForm(request.POST if "person" in request.POST else None)
    import_form = ImportForm(
        request.POST if "upload" in request.POST else None,
        request.FILES if "upload" in request.POST else None,
    )
    if request.method == "POST" and "person" in request.POST and add_form.is_valid():
        nip, email = add_form.cleaned_data["person"]
        person = User.objects.filter(nip=nip).first() if nip else None
        person = person or (User.objects.filter(email__iexact=email).first() if email else None)
        try:
            if person:
                members.cohort_member_add(cohort=cohort, user=person, added_by=request.user)
                messages.success(
                    request, _("%(name)s joined the cohort.") % {"name": person.full_name}
                )
            else:
                members.cohort_invite(cohort=cohort, nip=nip, email=email, invited_by=request.user)
                messages.success(
                    request,
                    _("No account has %(who)s yet: an invitation keeps their seat.")
                    % {"who": email or nip},
                )
        except LearningError as error:
            messages.error(request, error.message)
        return redirect("cohorts:learners_add", cohort_id=cohort.pk)
    if request.method == "POST" and "upload" in request.POST and import_form.is_valid():
        upload = import_form.cleaned_data["file"]
        try:
            checked = imports.import_check(
                cohort=cohort,
                name=upload.name,
                data=upload.read(imports.settings.LENTERA_IMPORT_MAX_BYTES + 1),
                uploaded_by=request.user,
            )
        except imports.ImportFileError as error:
            import_form.add_error("file", str(error))
        else:
            return redirect("cohorts:import", cohort_id=cohort.pk, import_id=checked.pk)
    return TemplateResponse(
        request,
        "cohorts/learners_add.html",
        {
            "cohort": cohort,
            "add_form": add_form,
            "import_form": import_form,
            "imports": cohort.imports.select_related("uploaded_by")[:10],
            "invitations": selectors.invitations_listed(cohort)[:INVITATIONS_LISTED],
        },
    )


@login_required
def cohort_import(request, cohort_id: int, import_id: int):
    cohort = trained_cohort(request, cohort_id)
    checked = get_object_or_404(CohortImport, cohort=cohort, pk=import_id)
    if request.method == "POST":
        try:
            applied = imports.import_apply(cohort_import=checked, applied_by=request.user)
        except (imports.ImportNotApplied, LearningError) as error:
            messages.error(request, getattr(error, "message", str(error)))
            return redirect("cohorts:import", cohort_id=cohort.pk, import_id=checked.pk)
        messages.success(
            request,
            _(
                "Import applied: %(enrolled)s enrolled, %(joined)s joined with their progress, "
                "%(invited)s invited."
            )
            % {"enrolled": applied.enrolled, "joined": applied.joined, "invited": applied.invited},
        )
        return redirect("cohorts:detail", cohort_id=cohort.pk)
    # Problems first, so they are seen before anything else.
    order = {imports.INVALID: 0, imports.UNKNOWN: 1, imports.ALREADY_ENROLLED: 2, imports.VALID: 3}
    rows = sorted(checked.rows, key=lambda row: (order[row["status"]], row["row"]))
    for row in rows:
        row["status_label"] = imports.STATUS_LABELS[row["status"]]
        row["nip_masked"] = nip_mask(row["nip"]) if row["status"] != imports.INVALID else row["nip"]
    counts = imports.import_counts(checked.rows)
    return TemplateResponse(
        request,
        "cohorts/import.html",
        {
            "cohort": cohort,
            "checked": checked,
            "counts": counts,
            "labels": imports.STATUS_LABELS,
            "page_obj": Paginator(rows, IMPORT_ROWS_PER_PAGE).get_page(request.GET.get("page")),
        },
    )


def _cohort_join_answer(request, cohort: Cohort) -> None:
    """Ask to join `cohort` and say how it went, as a message on the course page."""
    try:
        enrollment = members.cohort_join_request(cohort=cohort, user=request.user)
    except LearningError as error:
        messages.error(request, error.message)
        return
    if enrollment.status == Enrollment.Status.PENDING:
        messages.success(
            request,
            _("Your request to join %(cohort)s was sent to its trainers.")
            % {"cohort": cohort.name},
        )
    else:
        messages.success(
            request, _("You joined %(cohort)s. Happy learning!") % {"cohort": cohort.name}
        )


@login_required
@require_POST
def cohort_join(request, cohort_id: int):
    """A learner asks to join a cohort from the course page."""
    cohort = get_object_or_404(Cohort.objects.select_related("course"), pk=cohort_id)
    if not cohort.course.live:
        raise Http404
    _cohort_join_answer(request, cohort)
    return redirect(cohort.course.get_url(request))


#: The course page's join form: the choice of no cohort (the learner's own pace).
OWN_PACE = "own-pace"


@login_required
@require_POST
def course_join(request, course_id: int):
    """The course page's one way in while cohorts are open: the learner picks a cohort or,
    unless the course runs in cohorts only, their own pace, and presses a single button (two
    "request to join" buttons, the course's and a cohort's, left them guessing which to press).
    """
    course = get_object_or_404(CoursePage.objects.live().public(), pk=course_id)
    choice = request.POST.get("cohort", "")
    if choice == OWN_PACE:
        try:
            enrollment, _created = enrollment_create(user=request.user, course=course)
        except LearningError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Your request has been sent. You can start once it is approved.")
                if enrollment.status == Enrollment.Status.PENDING
                else _("You are enrolled. Happy learning!"),
            )
        return redirect(course.get_url(request))
    cohort_id = id_parse(choice)
    cohort = (
        Cohort.objects.select_related("course").filter(pk=cohort_id, course=course).first()
        if cohort_id
        else None
    )
    if cohort is None:
        messages.error(request, _("Choose a cohort to join, or to learn at your own pace."))
    else:
        _cohort_join_answer(request, cohort)
    return redirect(course.get_url(request))


def _cohort_invitation(request, cohort_id: int) -> CohortInvitation:
    cohort = trained_cohort(request, cohort_id)
    invitation = get_object_or_404(
        CohortInvitation.objects.filter(cohort=cohort, accepted_at=None),
        pk=id_parse(request.POST.get("invitation")),
    )
    invitation.cohort = cohort
    return invitation


@login_required
@require_POST
def invitation_resend(request, cohort_id: int):
    invitation = _cohort_invitation(request, cohort_id)
    try:
        invitations.invitation_resend(invitation=invitation, sent_by=request.user)
    except LearningError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The invitation was sent again to %(email)s.") % {"email": invitation.email},
        )
    return redirect(f"{reverse('cohorts:detail', args=[cohort_id])}#invitations-title")


@login_required
@require_POST
def invitation_cancel(request, cohort_id: int):
    invitation = _cohort_invitation(request, cohort_id)
    try:
        invitations.invitation_cancel(invitation=invitation, cancelled_by=request.user)
    except LearningError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The invitation of %(who)s was cancelled: its link no longer works.")
            % {"who": invitation.email or nip_mask(invitation.nip)},
        )
    return redirect(f"{reverse('cohorts:detail', args=[cohort_id])}#invitations-title")


def invitation_follow(request, token: str):
    """The link an invitation e-mailed: sign up (or in) and join the cohort."""
    invitation = invitations.invitation_from_token(token)
    if invitation is None:
        return _invitation_refused(
            request,
            _(
                "This invitation link is not valid: it was cancelled, or only part of it was "
                "copied. Ask your trainer to send it again."
            ),
            status=404,
        )
    cohort = invitation.cohort
    if not request.user.is_authenticated:
        try:
            invitations.invitation_check(invitation)
        except LearningError as error:
            return _invitation_refused(request, error.message, status=error.status)
        if User.objects.filter(email__iexact=invitation.email).exists():
            # (Only the mailbox's owner holds the link: telling them they have an account
            # reveals nothing to anyone else.)
            messages.info(
                request,
                _("Sign in with %(email)s to join %(cohort)s.")
                % {"email": invitation.email, "cohort": cohort.name},
            )
            return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
        # Following the link proves the address: sign-up with it needs no confirmation e-mail.
        get_adapter(request).stash_verified_email(request, invitation.email)
        query = urlencode({"email": invitation.email, "next": request.path})
        return redirect(f"{reverse('account_signup')}?{query}")
    try:
        invitations.invitation_link_accept(invitation=invitation, user=request.user)
    except invitations.InvitationWrongAccount as error:
        return _invitation_refused(request, error.message, status=error.status, sign_out=True)
    except LearningError as error:
        return _invitation_refused(request, error.message, status=error.status)
    messages.success(request, _("You joined %(cohort)s. Happy learning!") % {"cohort": cohort.name})
    return redirect(cohort.course.get_url(request))


def _invitation_refused(request, message: str, *, status: int, sign_out: bool = False):
    return TemplateResponse(
        request,
        "cohorts/invitation_refused.html",
        {"message": message, "sign_out": sign_out},
        status=status,
    )
