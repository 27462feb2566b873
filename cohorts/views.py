"""The trainer's dashboard: my cohorts, a cohort's learners and charts, adding learners,
imports, reminders, requests and exports. Thin: rules live in services and selectors.

Every cohort view looks the cohort up among those the user trains (`cohorts_trained_by`), so a
trainer of another cohort, a learner or an admin of another organization gets 404.
"""

from itertools import groupby
from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts import exports, imports, invitations, selectors, services
from cohorts.forms import AddLearnerForm, CohortForm, ImportForm, ReminderForm, TableFiltersForm
from cohorts.models import Cohort, CohortImport, CohortInvitation
from cohorts.permissions import cohorts_trained_by, courses_open_for_new_cohorts, is_trainer
from content.inputs import id_parse
from core import charts
from courses.models import CoursePage
from learners.models import Enrollment, User, WorkUnit
from learners.nip import nip_mask
from learners.services import LearningError, enrollment_create, enrollment_decide

LEARNERS_PER_PAGE = 50
INVITATIONS_LISTED = 100
IMPORT_ROWS_PER_PAGE = 100


def _trained_cohort(request, cohort_id: int) -> Cohort:
    return get_object_or_404(
        cohorts_trained_by(request.user).select_related("course"), pk=cohort_id
    )


@login_required
def dashboard(request):
    if not is_trainer(request.user):
        raise Http404
    return TemplateResponse(
        request,
        "cohorts/dashboard.html",
        {
            "cohorts": selectors.cohorts_overview(cohorts_trained_by(request.user)),
            "can_create": courses_open_for_new_cohorts(request.user).exists(),
        },
    )


@login_required
def cohort_create(request):
    courses = courses_open_for_new_cohorts(request.user)
    if not courses.exists():
        raise Http404
    form = CohortForm(request.POST or None, courses=courses, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cohort = services.cohort_create(
            course=data["course"],
            name=data["name"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            enrollment_deadline=data["enrollment_deadline"],
            capacity=data["capacity"],
            created_by=request.user,
            trainers=data["trainer_emails"],
        )
        messages.success(request, _("The cohort %(name)s was created.") % {"name": cohort.name})
        return redirect("cohorts:detail", cohort_id=cohort.pk)
    return TemplateResponse(request, "cohorts/cohort_form.html", {"form": form})


@login_required
def cohort_edit(request, cohort_id: int):
    cohort = _trained_cohort(request, cohort_id)
    form = CohortForm(request.POST or None, instance=cohort, user=request.user)
    lessons = selectors.course_lessons(cohort)
    due_errors = {}
    if request.method == "POST":
        dues = {}
        for lesson in lessons:
            raw = request.POST.get(f"due_{lesson.id}", "").strip()
            if raw:
                try:
                    dues[lesson.id] = form.fields["starts_on"].to_python(raw)
                except ValidationError:
                    due_errors[lesson.id] = _("Enter a valid date.")
        if form.is_valid() and not due_errors:
            try:
                with transaction.atomic():
                    cohort = form.save()
                    services.cohort_trainers_set(
                        cohort=cohort,
                        # The editing trainer stays one; a platform administrator is not made one.
                        trainers=[
                            *cohort.trainers.filter(pk=request.user.pk),
                            *form.cleaned_data["trainer_emails"],
                        ],
                        changed_by=request.user,
                    )
                    services.cohort_schedule_update(
                        cohort=cohort, dues=dues, changed_by=request.user
                    )
            except LearningError as error:
                form.add_error("trainer_emails", error.message)
            else:
                messages.success(request, _("The cohort was saved."))
                return redirect("cohorts:detail", cohort_id=cohort.pk)
    return TemplateResponse(
        request,
        "cohorts/cohort_form.html",
        {
            "form": form,
            "cohort": cohort,
            "lessons": lessons,
            "due_errors": due_errors,
            "posted": request.POST,
        },
    )


def _filters(request, cohort: Cohort) -> tuple[TableFiltersForm, selectors.TableFilters]:
    units = (
        WorkUnit.objects.filter(
            members__enrollments__cohort_membership__cohort=cohort,
        )
        .distinct()
        .order_by("name")
        .values_list("pk", "name")
    )
    form = TableFiltersForm(request.GET, units=units)
    filters = selectors.TableFilters()
    if form.is_valid():
        filters = selectors.TableFilters(
            state=form.cleaned_data["status"],
            unit=form.cleaned_data["unit"],
            query=form.cleaned_data["q"].strip(),
            sort=form.cleaned_data["sort"] or "name",
        )
    return form, filters


def _table_rows(page_rows, lessons, scores):
    quizzes = [lesson for lesson in lessons if lesson.is_quiz]
    return [
        {
            "enrollment": enrollment,
            "user": enrollment.user,
            "nip": nip_mask(enrollment.user.nip or ""),
            "unit": enrollment.user.work_unit.name if enrollment.user.work_unit else "",
            "percent": enrollment.percent,
            "last_activity": enrollment.last_activity,
            "state": enrollment.state,
            "state_label": selectors.LearnerState.labels[enrollment.state],
            # At risk and never started: the table says both, as the summary counts both.
            "also_not_started": enrollment.state == selectors.LearnerState.AT_RISK
            and selectors.never_started(enrollment),
            "scores": [scores.get(enrollment.pk, {}).get(quiz.id) for quiz in quizzes],
        }
        for enrollment in page_rows
    ]


def _charts(cohort: Cohort, summary, lessons):
    heat_rows = [
        (
            module or _("Lessons"),
            [
                (
                    lesson.title,
                    round(100 * lesson.completed / summary.learners) if summary.learners else None,
                )
                for lesson in group
            ],
        )
        for module, group in groupby(lessons, key=lambda lesson: lesson.module)
    ]
    return [
        charts.bar_chart(
            title=_("Progress distribution"),
            description=_("Number of learners by share of the required lessons completed."),
            bars=summary.histogram,
            value_label=_("Learners"),
            label_header=_("Progress"),
        ),
        charts.time_chart(
            title=_("Lessons completed per day"),
            description=_("Lessons completed by the cohort's learners on each day of the cohort."),
            points=selectors.completions_per_day(cohort),
            value_label=_("Lessons completed"),
        ),
        charts.heatmap(
            title=_("Completion per lesson"),
            description=_(
                "Share of the cohort's learners who completed each lesson, module by module."
            ),
            rows=heat_rows,
            value_label=_("Share of learners, percent"),
            max_value=100,
            cell_header=_("Lesson"),
        ),
    ]


@login_required
def cohort_detail(request, cohort_id: int):
    cohort = _trained_cohort(request, cohort_id)
    rule = selectors.risk_rule(cohort)
    base = selectors.cohort_enrollments(cohort, rule=rule)
    form, filters = _filters(request, cohort)
    rows = selectors.filtered_enrollments(base.select_related("user", "user__work_unit"), filters)
    page = Paginator(rows, LEARNERS_PER_PAGE).get_page(request.GET.get("page"))
    lessons = selectors.lesson_completion_counts(cohort, selectors.course_lessons(cohort))
    summary = selectors.cohort_summary(base)
    scores = selectors.best_quiz_scores([enrollment.pk for enrollment in page])
    services.cohort_view_record(cohort=cohort, viewer=request.user, page=page.number)
    return TemplateResponse(
        request,
        "cohorts/cohort_detail.html",
        {
            "cohort": cohort,
            "rule": rule,
            "summary": summary,
            "charts": _charts(cohort, summary, lessons),
            "form": form,
            "filters": filters,
            "page_obj": page,
            "rows": _table_rows(page, lessons, scores),
            "quizzes": [lesson for lesson in lessons if lesson.is_quiz],
            "dues": [lesson for lesson in lessons if lesson.due_on],
            "pending": selectors.pending_requests(cohort, decider=request.user)[:50],
            "reminders": cohort.reminders.select_related("learner", "sent_by")[:20],
            "invitations": selectors.invitations_listed(cohort)[:INVITATIONS_LISTED],
            "invitation_days": settings.LENTERA_INVITATION_DAYS,
            "trainers": cohort.trainers.all(),
            "reminder_form": ReminderForm(),
        },
    )


@login_required
def cohort_learners_add(request, cohort_id: int):
    cohort = _trained_cohort(request, cohort_id)
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
                services.cohort_member_add(cohort=cohort, user=person, added_by=request.user)
                messages.success(
                    request, _("%(name)s joined the cohort.") % {"name": person.full_name}
                )
            else:
                services.cohort_invite(cohort=cohort, nip=nip, email=email, invited_by=request.user)
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
    cohort = _trained_cohort(request, cohort_id)
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


@login_required
@require_POST
def cohort_remind(request, cohort_id: int):
    cohort = _trained_cohort(request, cohort_id)
    form = ReminderForm(request.POST)
    if not form.is_valid():
        for error in form.non_field_errors() or [_("The selection is not valid.")]:
            messages.error(request, error)
        return redirect("cohorts:detail", cohort_id=cohort.pk)
    learner_ids = form.cleaned_data["learners"]
    if form.cleaned_data["at_risk"]:
        rule = selectors.risk_rule(cohort)
        learner_ids = list(
            selectors.cohort_enrollments(cohort, rule=rule)
            .filter(state=selectors.LearnerState.AT_RISK)
            .values_list("user_id", flat=True)
        )
    result = services.reminders_send(cohort=cohort, learner_ids=learner_ids, sent_by=request.user)
    if result.queued:
        messages.success(
            request,
            _("%(count)s reminder(s) are being sent.") % {"count": result.queued},
        )
    if result.already_reminded_today:
        messages.info(
            request,
            _("%(count)s learner(s) were already reminded today and were skipped.")
            % {"count": result.already_reminded_today},
        )
    if not result.queued and not result.already_reminded_today:
        messages.error(request, _("None of the chosen people is an active learner here."))
    return redirect("cohorts:detail", cohort_id=cohort.pk)


@login_required
@require_POST
def cohort_request_decide(request, cohort_id: int):
    cohort = _trained_cohort(request, cohort_id)
    enrollment = get_object_or_404(
        selectors.pending_requests(cohort, decider=request.user),
        pk=id_parse(request.POST.get("enrollment")),
    )
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        messages.error(request, _("Choose approve or reject."))
        return redirect("cohorts:detail", cohort_id=cohort.pk)
    try:
        enrollment_decide(
            enrollment=enrollment,
            decided_by=request.user,
            approve=decision == "approve",
            note=request.POST.get("note", "").strip()[:1000],
        )
    except LearningError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            (
                _("The request of %(name)s was approved.")
                if decision == "approve"
                else _("The request of %(name)s was rejected.")
            )
            % {"name": enrollment.user.full_name},
        )
    return redirect("cohorts:detail", cohort_id=cohort.pk)


@login_required
def cohort_export(request, cohort_id: int, file_format: str):
    cohort = _trained_cohort(request, cohort_id)
    return exports.cohort_export(cohort=cohort, exported_by=request.user, file_format=file_format)


def _cohort_join_answer(request, cohort: Cohort) -> None:
    """Ask to join `cohort` and say how it went, as a message on the course page."""
    try:
        enrollment = services.cohort_join_request(cohort=cohort, user=request.user)
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
    cohort = _trained_cohort(request, cohort_id)
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
