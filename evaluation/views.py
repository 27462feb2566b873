"""Evaluation pages: the learner's reaction survey, course results for trainers and editors,
the supervisor's follow-up link, learning needs and their endorsement, the needs report, and
the public feedback page of a service unit.

Views are thin: forms check the input, `evaluation.services` applies the rules,
`evaluation.selectors` reads.
"""

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.exports import csv_response, xlsx_response
from courses.models import CoursePage
from evaluation import selectors, services
from evaluation.exports import needs_tables
from evaluation.forms import (
    BehaviourFollowUpForm,
    CourseEvaluationForm,
    LearningNeedForm,
    NeedDecisionForm,
    PublicFeedbackForm,
)
from evaluation.models import CourseEvaluation, LearningNeed, ServiceUnit
from evaluation.permissions import (
    can_view_course_evaluation,
    courses_evaluable_by,
    organizations_for_needs_report,
)
from learners.models import Enrollment
from learners.permissions import is_platform_admin
from learners.services import LearningError

COMMENTS_PER_PAGE = 20


def _posted(request):
    """The submitted data to bind a form to: an empty POST is still a submission."""
    return request.POST if request.method == "POST" else None


# L1: the reaction survey


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_form(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """The reaction survey of one of the learner's own completed enrollments."""
    enrollment = get_object_or_404(
        Enrollment.objects.select_related("course", "certificate"),
        pk=enrollment_id,
        user=request.user,
    )
    if enrollment.status not in services.COMPLETED_STATUSES:
        messages.info(request, _("You can evaluate a course once you have completed it."))
        return redirect("learners:my_learning")
    evaluation = CourseEvaluation.objects.filter(enrollment=enrollment).first()
    form = None
    if evaluation is None:
        form = CourseEvaluationForm(
            _posted(request), facilitated=selectors.enrollment_is_facilitated(enrollment)
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.course_evaluation_submit(
                    enrollment=enrollment,
                    user=request.user,
                    comment=form.cleaned_data["comment"],
                    **form.scores(),
                )
            except LearningError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Thank you for evaluating the course!"))
                return redirect("learners:my_learning")
    return TemplateResponse(
        request,
        "evaluation/evaluation_form.html",
        {"enrollment": enrollment, "course": enrollment.course, "form": form},
    )


# Course results (L1-L3) for the course's trainers and editors


def course_evaluation_context(*, course: CoursePage, page_number) -> dict:
    """Everything the course results show, for the front-end page and the admin alike."""
    comments = Paginator(selectors.course_reaction_comments(course=course), COMMENTS_PER_PAGE)
    gains = selectors.learning_gains(course_ids=[course.pk])[course.pk]
    return {
        "course": course,
        "reaction": selectors.course_reaction_summary(course=course),
        "comments": comments.get_page(page_number),
        "tests": selectors.course_has_tests(course=course),
        "gain": gains,
        "behaviour": selectors.course_behaviour_summary(course=course),
    }


@login_required
def evaluation_index(request: HttpRequest) -> HttpResponse:
    """ "Evaluasi pelatihan": first the learner's own surveys (the courses they completed, to
    evaluate or evaluated), then, for trainers, editors and administrators, the courses whose
    results they may see. Everyone reaches it from "my learning", so a learner lands on their
    own surveys, never on an empty trainer's list."""
    courses = (
        courses_evaluable_by(request.user)
        .select_related("provider")
        .defer_streamfields()
        .order_by("title")
    )
    return TemplateResponse(
        request,
        "evaluation/evaluation_index.html",
        {"surveys": selectors.surveys_of(request.user), "courses": courses},
    )


@login_required
def course_evaluation(request: HttpRequest, course_id: int) -> HttpResponse:
    """A course's evaluation results, for its trainers, its provider's editors and admins."""
    course = get_object_or_404(
        CoursePage.objects.select_related("provider").defer_streamfields(), pk=course_id
    )
    if not can_view_course_evaluation(request.user, course):
        raise Http404
    response = TemplateResponse(
        request,
        "evaluation/evaluation_course.html",
        course_evaluation_context(course=course, page_number=request.GET.get("page")),
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


# L3: the supervisor's follow-up link (no sign-in)


def _followup_response(request, template: str, context: dict, status: int = 200):
    response = TemplateResponse(request, template, context, status=status)
    # The link is a credential: never cached, never sent on as a referrer, never indexed.
    patch_cache_control(response, private=True, no_store=True)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


def _link_error(request, error: services.FollowUpLinkError) -> HttpResponse:
    return _followup_response(
        request,
        "evaluation/followup_link_error.html",
        {"error": error, "reason": error.code},
        status=error.status,
    )


@require_http_methods(["GET", "POST"])
def followup_form(request: HttpRequest, token: str) -> HttpResponse:
    """The supervisor rates the change in the learner's work on each course competency."""
    try:
        followup = services.behaviour_followup_for_token(token=token)
    except services.FollowUpLinkError as error:
        return _link_error(request, error)
    enrollment = followup.enrollment
    competencies = [
        item.competency
        for item in enrollment.course.course_competencies.select_related("competency").order_by(
            "sort_order"
        )
    ]
    form = BehaviourFollowUpForm(_posted(request), competencies=competencies)
    if request.method == "POST" and form.is_valid():
        try:
            services.behaviour_followup_answer(
                token=token, ratings=form.ratings(), comment=form.cleaned_data["comment"]
            )
        except services.FollowUpLinkError as error:
            return _link_error(request, error)
        except LearningError as error:
            form.add_error(None, error.message)
        else:
            return redirect("evaluation:followup_thanks")
    return _followup_response(
        request,
        "evaluation/followup_form.html",
        {
            "form": form,
            "learner": enrollment.user,
            "course": enrollment.course,
            "completed_at": enrollment.completed_at,
            "expires_at": followup.expires_at,
        },
    )


def followup_thanks(request: HttpRequest) -> HttpResponse:
    return _followup_response(request, "evaluation/followup_thanks.html", {})


# Learning needs


def _need_from_form(form: LearningNeedForm) -> dict:
    data = form.cleaned_data
    return {
        "competency": data["competency"],
        "current_level": data["current_level"],
        "target_level": data["target_level"],
        "priority": data["priority"],
        "reason": data["reason"],
        "appraisal_reference": data["appraisal_reference"],
    }


def _submit_requested(request) -> bool | None:
    """True for "submit for endorsement", False for "save as draft", None for anything else."""
    return {"submit": True, "draft": False}.get(request.POST.get("action"))


@login_required
@require_http_methods(["GET", "POST"])
def needs_list(request: HttpRequest) -> HttpResponse:
    """The learner's own learning needs, and a form to record a new one."""
    form = LearningNeedForm(_posted(request))
    if request.method == "POST":
        submit = _submit_requested(request)
        if submit is None:
            form.add_error(None, _("Choose to save the need as a draft or to submit it."))
        elif form.is_valid():
            try:
                services.learning_need_create(
                    user=request.user, submit=submit, **_need_from_form(form)
                )
            except LearningError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Your need was sent to your supervisor for endorsement.")
                    if submit
                    else _("Your need was saved as a draft."),
                )
                return redirect("evaluation:needs_list")
    return TemplateResponse(
        request,
        "evaluation/needs_list.html",
        {
            "needs": selectors.needs_of(request.user),
            "form": form,
            "to_decide": selectors.needs_to_decide(request.user).count(),
            "has_report": organizations_for_needs_report(request.user).exists(),
        },
    )


def _own_need(request, pk: int) -> LearningNeed:
    return get_object_or_404(
        LearningNeed.objects.select_related("competency"), pk=pk, user=request.user
    )


@login_required
@require_http_methods(["GET", "POST"])
def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a draft need, or submit it."""
    need = _own_need(request, pk)
    if not need.is_editable:
        messages.info(request, _("This need has already been submitted and can no longer change."))
        return redirect("evaluation:needs_list")
    form = LearningNeedForm(_posted(request), initial=LearningNeedForm.initial_for(need))
    if request.method == "POST":
        submit = _submit_requested(request)
        if submit is None:
            form.add_error(None, _("Choose to save the need as a draft or to submit it."))
        elif form.is_valid():
            try:
                services.learning_need_update(
                    need=need, user=request.user, submit=submit, **_need_from_form(form)
                )
            except LearningError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Your need was sent to your supervisor for endorsement.")
                    if submit
                    else _("Your changes were saved."),
                )
                return redirect("evaluation:needs_list")
    return TemplateResponse(request, "evaluation/needs_edit.html", {"need": need, "form": form})


@require_POST
@login_required
def need_submit(request: HttpRequest, pk: int) -> HttpResponse:
    need = _own_need(request, pk)
    try:
        services.learning_need_submit(need=need, user=request.user)
    except LearningError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your need was sent to your supervisor for endorsement."))
    return redirect("evaluation:needs_list")


@require_POST
@login_required
def need_delete(request: HttpRequest, pk: int) -> HttpResponse:
    need = _own_need(request, pk)
    try:
        services.learning_need_delete(need=need, user=request.user)
    except LearningError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The draft was deleted."))
    return redirect("evaluation:needs_list")


@login_required
@require_http_methods(["GET", "POST"])
def needs_endorsement(request: HttpRequest) -> HttpResponse:
    """Submitted needs of the supervisor's staff and of the organization admin's people."""
    needs = selectors.needs_to_decide(request.user)
    invalid, invalid_need = None, None
    if request.method == "POST":
        need_id = request.POST.get("need", "")
        # Someone else's need, or one already decided, is not there to decide.
        need = get_object_or_404(needs, pk=int(need_id) if need_id.isdigit() else 0)
        form = NeedDecisionForm(request.POST)
        if form.is_valid():
            endorse = form.cleaned_data["decision"] == "endorse"
            try:
                services.learning_need_decide(
                    need=need,
                    decided_by=request.user,
                    endorse=endorse,
                    note=form.cleaned_data["note"],
                )
            except LearningError as error:
                messages.error(request, error.message)
            else:
                message = (
                    _("The need of %(name)s was endorsed.")
                    if endorse
                    else _("The need of %(name)s was not endorsed.")
                )
                messages.success(request, message % {"name": need.user.full_name})
            return redirect("evaluation:needs_endorsement")
        # Shown again beside the need it was about, with what the endorser typed.
        invalid, invalid_need = form, need.pk
    return TemplateResponse(
        request,
        "evaluation/needs_endorsement.html",
        {
            "needs": needs,
            "invalid": invalid,
            "invalid_need": invalid_need,
            "decided": selectors.needs_decided_by(request.user),
        },
        status=400 if invalid else 200,
    )


# The needs report (organization admins and platform administrators)


def needs_report_scope(request, organizations) -> tuple[object, object]:
    """The organizations the report covers: the one chosen, if allowed, else all allowed.

    Returns (organizations or None for everything, the chosen organization or None).
    """
    chosen = request.GET.get("organization", "")
    if chosen.isdigit():
        organization = organizations.filter(pk=int(chosen)).first()
        if organization is not None:
            return organizations.filter(pk=organization.pk), organization
    return (None if is_platform_admin(request.user) else organizations), None


def needs_export(report, export: str) -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    sheets = needs_tables(report)
    if export == "csv":
        _title, header, rows = sheets[0]
        return csv_response(filename=f"kebutuhan-belajar-{stamp}.csv", header=header, rows=rows)
    return xlsx_response(filename=f"kebutuhan-belajar-{stamp}.xlsx", sheets=sheets)


@login_required
def needs_report(request: HttpRequest, export: str = "") -> HttpResponse:
    """Demand against supply per competency, for the organizations `request.user` administers."""
    organizations = organizations_for_needs_report(request.user)
    if not organizations.exists():
        raise PermissionDenied
    scope, chosen = needs_report_scope(request, organizations)
    report = selectors.needs_report(organizations=scope)
    if export:
        return needs_export(report, export)
    response = TemplateResponse(
        request,
        "evaluation/needs_report.html",
        {
            "report": report,
            "organizations": organizations.order_by("name"),
            "chosen": chosen,
            "query": request.GET.urlencode(),
        },
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


# Public feedback (no sign-in)


def _client_address(request) -> str:
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return "unknown"


def feedback_index(request: HttpRequest) -> HttpResponse:
    """Where citizens find their service unit's feedback form: every open form, by organization."""
    return TemplateResponse(
        request,
        "evaluation/feedback_index.html",
        {"organizations": selectors.service_units_by_organization()},
    )


@require_http_methods(["GET", "POST"])
def feedback_form(request: HttpRequest, unit_slug: str) -> HttpResponse:
    """A citizen rates a service unit; limited per client address and protected by a honeypot."""
    unit = get_object_or_404(
        ServiceUnit.objects.select_related("organization"), slug=unit_slug, public=True
    )
    aspects = services.feedback_aspects_for(unit)
    form = PublicFeedbackForm(_posted(request), aspects=aspects)
    if request.method == "POST":
        client_hash = services.feedback_client_hash(_client_address(request))
        if not services.public_feedback_allowed(unit=unit, client_hash=client_hash):
            response = TemplateResponse(
                request, "evaluation/feedback_limited.html", {"unit": unit}, status=429
            )
            response["Retry-After"] = str(services.FEEDBACK_WINDOW_SECONDS)
            return response
        if form.is_robot:
            # Answered as a success, so robots learn nothing; nothing is stored.
            services.public_feedback_count_attempt(unit=unit, client_hash=client_hash)
            return redirect("evaluation:feedback_thanks", unit_slug=unit.slug)
        if form.is_valid():
            services.public_feedback_count_attempt(unit=unit, client_hash=client_hash)
            try:
                services.public_feedback_create(
                    unit=unit,
                    rating=form.cleaned_data["rating"],
                    aspects=list(form.cleaned_data["aspects"]),
                    comment=form.cleaned_data["comment"],
                    client_hash=client_hash,
                )
            except LearningError as error:
                form.add_error(None, error.message)
            else:
                return redirect("evaluation:feedback_thanks", unit_slug=unit.slug)
    return TemplateResponse(
        request,
        "evaluation/feedback_form.html",
        {"unit": unit, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def feedback_thanks(request: HttpRequest, unit_slug: str) -> HttpResponse:
    unit = get_object_or_404(ServiceUnit.objects.select_related("organization"), slug=unit_slug)
    return TemplateResponse(request, "evaluation/feedback_thanks.html", {"unit": unit})
