"""A course's results (Kirkpatrick L1-L3) as pages: the learner's reaction survey and their
evaluations page, the course results for its trainers and editors (also shown in the admin), and
the supervisor's follow-up link, which needs no sign-in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from courses.models import CoursePage
from evaluation import selectors, services
from evaluation.forms import BehaviourFollowUpForm, CourseEvaluationForm, posted_data
from evaluation.models import CourseEvaluation
from evaluation.permissions import can_view_course_evaluation, courses_evaluable_by
from learners.errors import LearningError
from learners.models import Enrollment

COMMENTS_PER_PAGE = 20


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
            posted_data(request), facilitated=selectors.enrollment_is_facilitated(enrollment)
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
    form = BehaviourFollowUpForm(posted_data(request), competencies=competencies)
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
