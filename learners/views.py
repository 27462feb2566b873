"""Learner pages and actions. Thin: the rules live in learners.services and selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from content.inputs import id_parse
from courses.models import CoursePage, LessonPage
from learners import progress, selectors, services
from learners.errors import LearningError
from learners.models import Enrollment


@login_required
def my_learning(request):
    """ "Pembelajaran Saya": courses in progress, requests, completions, certificates, JP."""
    return TemplateResponse(
        request,
        "learners/my_learning.html",
        {
            "learning": selectors.my_learning(user=request.user),
            "requests_to_decide": selectors.enrollment_requests_for(request.user).count(),
        },
    )


@require_POST
@login_required
def enroll(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.live().public(), pk=course_id)
    try:
        enrollment, created = services.enrollment_create(user=request.user, course=course)
    except LearningError as error:
        messages.error(request, error.message)
        return redirect(course.get_url(request))
    if not created:
        messages.info(request, _("You are already enrolled in this course."))
    elif enrollment.status == Enrollment.Status.PENDING:
        messages.success(
            request, _("Your request has been sent. You can start once it is approved.")
        )
    else:
        messages.success(request, _("You are enrolled. Happy learning!"))
    return redirect(course.get_url(request))


@require_POST
@login_required
def withdraw(request, course_id: int):
    enrollment = get_object_or_404(
        Enrollment,
        user=request.user,
        course_id=course_id,
        status__in=Enrollment.OPEN_STATUSES,
    )
    services.enrollment_withdraw(enrollment=enrollment, user=request.user)
    messages.success(request, _("You have left the course. Your progress is kept in your history."))
    return redirect("learners:my_learning")


def _back_or(request, default: str):
    """Back to the page the form was on (a lesson's outline, the supervisor's team pages) when
    `next` is a path of this site, else to `default`."""
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect(default)


@require_POST
@login_required
def complete_lesson(request, lesson_id: int):
    lesson = get_object_or_404(LessonPage.objects.live().public(), pk=lesson_id)
    try:
        result = progress.lesson_complete(user=request.user, lesson=lesson)
    except LearningError as error:
        messages.error(request, error.message)
        return redirect(lesson.get_url(request))
    if result.course_completed and result.created and result.certificate:
        messages.success(
            request,
            _("Congratulations, you have completed the course! Your certificate is ready."),
        )
        return redirect("learners:my_learning")
    if result.course_completed and result.created:
        messages.success(request, _("Congratulations, you have completed the course!"))
        return redirect("learners:my_learning")
    messages.success(request, _("Lesson marked as done."))
    return _back_or(request, lesson.get_url(request))


@login_required
def enrollment_requests(request):
    """Pending enrollment requests for a course's trainers, the organization's admins and the
    learner's confirmed direct supervisor."""
    requests = selectors.enrollment_requests_for(request.user)
    if request.method == "POST":
        enrollment = get_object_or_404(requests, pk=id_parse(request.POST.get("enrollment")))
        decision = request.POST.get("decision")
        if decision not in ("approve", "reject"):
            messages.error(request, _("Choose approve or reject."))
            return _back_or(request, "learners:enrollment_requests")
        note = request.POST.get("note", "").strip()[:1000]
        try:
            services.enrollment_decide(
                enrollment=enrollment,
                decided_by=request.user,
                approve=decision == "approve",
                note=note,
            )
        except LearningError as error:
            messages.error(request, error.message)
        else:
            message = (
                _("The request of %(name)s was approved.")
                if decision == "approve"
                else _("The request of %(name)s was rejected.")
            )
            messages.success(request, message % {"name": enrollment.user.full_name})
        return _back_or(request, "learners:enrollment_requests")
    return TemplateResponse(
        request, "learners/enrollment_requests.html", {"enrollment_requests": requests}
    )
