"""Assignment pages outside the page tree: the learner's submission, submitted files, and the
trainers' grading queues and form. Thin: rules in `services`, reads in `selectors`, who may see
what in `permissions` (404 for anyone else)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assignments import selectors, services
from assignments.forms import GradeForm, SubmissionForm
from assignments.models import AssignmentPage
from assignments.permissions import trains_course
from cohorts.models import Cohort
from courses.models import CoursePage

PER_PAGE = 25


def _errors_onto(form, error: ValidationError) -> None:
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@login_required
@require_POST
def submit(request: HttpRequest, page_id: int) -> HttpResponse:
    """Hand in work; on bad input the assignment page again, with the errors (400)."""
    assignment = get_object_or_404(AssignmentPage.objects.live(), pk=page_id)
    form = SubmissionForm(request.POST, request.FILES, assignment=assignment)
    if form.is_valid():
        try:
            submission = services.submission_create(
                user=request.user,
                assignment=assignment,
                text=form.cleaned_data.get("text", ""),
                files=form.cleaned_data.get("files", []),
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                # Not about what was typed or attached (not enrolled, already passed, waiting
                # for the grade): the page says where the learner stands.
                for message in error.messages:
                    messages.error(request, message)
                return redirect(assignment.url)
            _errors_onto(form, error)
        else:
            if submission.late:
                messages.warning(
                    request,
                    _("Your work was submitted after the due date; the trainer will see it late."),
                )
            else:
                messages.success(request, _("Your work was submitted."))
            return redirect(assignment.url)
    # The page's template shows this bound form with its errors (assignment_tags).
    request.assignment_form = form
    response = assignment.serve(request)
    response.status_code = 400
    return response


@login_required
@require_GET
def file_download(request: HttpRequest, file_id: int) -> FileResponse:
    """A submitted file, for its learner and the trainers of their course or cohort."""
    stored = selectors.submission_file_for(user=request.user, pk=file_id)
    if stored is None:
        raise Http404
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle, as_attachment=True, filename=stored.original_name, content_type=stored.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _queue_response(request: HttpRequest, queryset, context: dict) -> HttpResponse:
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(request, "assignments/queue.html", {**context, "page_obj": page})


@login_required
@require_GET
def trainer_queue(request: HttpRequest) -> HttpResponse:
    """Everything awaiting the visitor's grade, from the courses and cohorts they train (an
    empty list for anyone who trains none)."""
    return _queue_response(request, selectors.trainer_queue(user=request.user), {})


@login_required
@require_GET
def course_queue(request: HttpRequest, course_id: int) -> HttpResponse:
    """Submissions awaiting grading in a course, for its trainers."""
    course = get_object_or_404(
        CoursePage.objects.defer_streamfields().only("pk", "title", "url_path"), pk=course_id
    )
    if not trains_course(request.user, course.pk):
        raise Http404
    return _queue_response(request, selectors.course_queue(course=course), {"course": course})


@login_required
@require_GET
def cohort_queue(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """Submissions awaiting grading from a cohort's members, for its trainers."""
    cohort = get_object_or_404(Cohort.objects.select_related("course"), pk=cohort_id)
    if not cohort.trainers.filter(pk=request.user.pk).exists():
        raise Http404
    return _queue_response(
        request, selectors.cohort_queue(cohort=cohort), {"cohort": cohort, "course": cohort.course}
    )


@login_required
@require_http_methods(["GET", "POST"])
def grade(request: HttpRequest, submission_id: int) -> HttpResponse:
    """A submission with its earlier versions, and the rubric to grade it on."""
    submission = selectors.submission_for_trainer(user=request.user, pk=submission_id)
    if submission is None:
        raise Http404
    assignment = submission.assignment
    form = GradeForm(request.POST or None, assignment=assignment)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.submission_grade(
                    submission=submission,
                    grader=request.user,
                    scores=form.scores(),
                    feedback=form.cleaned_data["feedback"],
                    return_for_resubmission=form.cleaned_data["decision"] == GradeForm.RETURN,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for name, errors in error.error_dict.items():
                        field = name if name in form.fields else f"score_{name}"
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                messages.success(request, _("The grade was saved and the learner told."))
                return redirect("assignments:grade", submission_id=submission.pk)
        status = 400
    earlier = selectors.submissions_with_files(
        submission.assignment.submissions.filter(
            enrollment_id=submission.enrollment_id, version__lt=submission.version
        ).order_by("-version")
    )
    return TemplateResponse(
        request,
        "assignments/grade.html",
        {
            "submission": submission,
            "assignment": assignment,
            "course": submission.enrollment.course,
            "form": form,
            "earlier": earlier,
            "can_grade": submission.status == submission.Status.SUBMITTED,
        },
        status=status,
    )
