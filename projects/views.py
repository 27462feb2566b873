"""Change project pages: the learner's, mentor's and coach's list and project page with its
forms, the trainers' coach assignment, evidence downloads and the public innovation gallery.
Thin: rules in `services`, reads in `selectors`, who may see what in `permissions` (404 for
anyone else)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cohorts.models import Cohort
from learners.models import Enrollment
from projects import selectors, services
from projects.forms import (
    AssessmentForm,
    CoachForm,
    CommentForm,
    FinalReportForm,
    GalleryForm,
    MilestoneReportForm,
    ProposalForm,
    PublicationForm,
    ReviewForm,
)
from projects.models import ChangeProject, Milestone, MilestoneEvidence, Topic
from projects.permissions import Role, can_assign_coaches, project_role

PER_PAGE = 20
GALLERY_PER_PAGE = 12


def _project(request: HttpRequest, pk: int) -> tuple[ChangeProject, Role]:
    try:
        project = selectors.project_page(pk=pk)
    except ChangeProject.DoesNotExist as missing:
        raise Http404 from missing
    role = project_role(request.user, project)
    if not role.can_view:
        raise Http404
    return project, role


def _plain_project(request: HttpRequest, pk: int) -> tuple[ChangeProject, Role]:
    project = get_object_or_404(ChangeProject.objects.select_related("cohort__course"), pk=pk)
    role = project_role(request.user, project)
    if not role.can_view:
        raise Http404
    return project, role


def _form_page(request, template: str, context: dict, form) -> HttpResponse:
    return TemplateResponse(
        request,
        template,
        {**context, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.projects_of(user=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    startable = (
        Enrollment.objects.filter(
            user=request.user,
            status=Enrollment.Status.ACTIVE,
            course__requires_change_project=True,
            change_project__isnull=True,
        )
        .select_related("course")
        .order_by("pk")
    )
    return TemplateResponse(
        request,
        "projects/project_list.html",
        {"page_obj": page, "startable": list(startable[:20])},
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = get_object_or_404(
        Enrollment.objects.select_related("course"),
        pk=enrollment_id,
        user=request.user,
        course__requires_change_project=True,
    )
    form = ProposalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(
                enrollment=enrollment, user=request.user, **form.proposal_fields()
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Your draft is saved. Submit it when it is ready."))
            return redirect("projects:detail", project.pk)
    return _form_page(
        request, "projects/proposal_form.html", {"course": enrollment.course, "project": None}, form
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project, role = _plain_project(request, pk)
    if not role.learner or not project.is_editable:
        raise Http404
    planned = project.milestones.count()
    if request.method == "POST":
        form = ProposalForm(request.POST, planned=planned)
    else:
        form = ProposalForm(initial=ProposalForm.initial_of(project), planned=planned)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(project=project, user=request.user, **form.proposal_fields())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Your proposal is saved."))
            return redirect("projects:detail", project.pk)
    return _form_page(
        request,
        "projects/proposal_form.html",
        {"course": project.cohort.course, "project": project},
        form,
    )


@login_required
@require_GET
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project, role = _project(request, pk)
    milestones = list(project.milestones.all())
    return TemplateResponse(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "role": role,
            "milestones": milestones,
            "comments": list(project.comments.all()),
            "review_form": ReviewForm(),
            "comment_form": CommentForm(),
            "all_accepted": all(m.status == Milestone.Status.ACCEPTED for m in milestones),
            "Status": ChangeProject.Status,
            "MilestoneStatus": Milestone.Status,
        },
    )


def _done(request: HttpRequest, project: ChangeProject, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("projects:detail", project.pk)


def _refused(request: HttpRequest, project: ChangeProject, error: ValidationError) -> HttpResponse:
    for message in error.messages:
        messages.error(request, message)
    return redirect("projects:detail", project.pk)


@login_required
@require_POST
def project_submit(request: HttpRequest, pk: int) -> HttpResponse:
    project, role = _plain_project(request, pk)
    if not role.learner:
        raise Http404
    try:
        services.project_submit(project=project, user=request.user)
    except ValidationError as error:
        return _refused(request, project, error)
    return _done(request, project, _("Your proposal is sent to your mentor and coach."))


@login_required
@require_POST
def proposal_review(request: HttpRequest, pk: int) -> HttpResponse:
    project, role = _plain_project(request, pk)
    if not role.reviewer:
        raise Http404
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _refused(request, project, ValidationError(_("Choose a decision.")))
    try:
        services.proposal_review(
            project=project,
            reviewer=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as error:
        return _refused(request, project, error)
    return _done(request, project, _("Your review is saved."))


@login_required
@require_http_methods(["GET", "POST"])
def milestone_report(request: HttpRequest, pk: int, milestone_id: int) -> HttpResponse:
    project, role = _plain_project(request, pk)
    if not role.learner:
        raise Http404
    milestone = get_object_or_404(project.milestones, pk=milestone_id)
    if request.method == "POST":
        form = MilestoneReportForm(request.POST, request.FILES)
    else:
        form = MilestoneReportForm(
            initial={"report": milestone.report, "evidence_url": milestone.evidence_url}
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_report(
                milestone=milestone,
                user=request.user,
                report=form.cleaned_data["report"],
                evidence_url=form.cleaned_data["evidence_url"],
                files=request.FILES.getlist("files"),
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            return _done(request, project, _("Your milestone report is sent."))
    return _form_page(
        request,
        "projects/milestone_report.html",
        {"project": project, "milestone": milestone, "multipart": True},
        form,
    )


@login_required
@require_POST
def milestone_review(request: HttpRequest, pk: int, milestone_id: int) -> HttpResponse:
    project, role = _plain_project(request, pk)
    if not role.reviewer:
        raise Http404
    milestone = get_object_or_404(project.milestones, pk=milestone_id)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _refused(request, project, ValidationError(_("Choose a decision.")))
    try:
        services.milestone_review(
            milestone=milestone,
            reviewer=request.user,
            accept=form.cleaned_data["decision"] == "approve",
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as error:
        return _refused(request, project, error)
    return _done(request, project, _("Your review is saved."))


@login_required
@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    project, _role = _plain_project(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _refused(request, project, ValidationError(_("Write a comment first.")))
    try:
        services.comment_add(project=project, author=request.user, body=form.cleaned_data["body"])
    except ValidationError as error:
        return _refused(request, project, error)
    return _done(request, project, _("Your comment is added."))


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int, evidence_id: int) -> FileResponse:
    project, _role = _plain_project(request, pk)
    evidence = get_object_or_404(
        MilestoneEvidence.objects.filter(milestone__project=project), pk=evidence_id
    )
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def final_report(request: HttpRequest, pk: int) -> HttpResponse:
    project, role = _plain_project(request, pk)
    if not role.learner:
        raise Http404
    if request.method == "POST":
        form = FinalReportForm(request.POST)
    else:
        form = FinalReportForm(initial={"final_report": project.final_report})
    if request.method == "POST" and form.is_valid():
        try:
            services.final_submit(
                project=project, user=request.user, final_report=form.cleaned_data["final_report"]
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            return _done(request, project, _("Your final report is sent to your coach."))
    return _form_page(request, "projects/final_report.html", {"project": project}, form)


@login_required
@require_http_methods(["GET", "POST"])
def assess(request: HttpRequest, pk: int) -> HttpResponse:
    project, role = _plain_project(request, pk)
    if not role.coach:
        raise Http404
    form = AssessmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_assess(project=project, coach=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            return _done(request, project, _("Your assessment is saved."))
    return _form_page(request, "projects/assess.html", {"project": project}, form)


@login_required
@require_http_methods(["GET", "POST"])
def publication(request: HttpRequest, pk: int) -> HttpResponse:
    project, role = _plain_project(request, pk)
    if not role.learner:
        raise Http404
    if request.method == "POST":
        form = PublicationForm(request.POST)
    else:
        form = PublicationForm(
            initial={"public_summary": project.public_summary, "consent": bool(project.consent_at)}
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_request(project=project, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            return _done(
                request,
                project,
                _("Thank you: your coach approves the summary before it is shown."),
            )
    return _form_page(request, "projects/publication.html", {"project": project}, form)


@login_required
@require_POST
def publication_approve(request: HttpRequest, pk: int) -> HttpResponse:
    project, role = _plain_project(request, pk)
    if not role.coach:
        raise Http404
    try:
        services.publication_approve(project=project, coach=request.user)
    except ValidationError as error:
        return _refused(request, project, error)
    return _done(request, project, _("The project is published in the innovation gallery."))


@login_required
@require_POST
def publication_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    project, role = _plain_project(request, pk)
    if not role.learner:
        raise Http404
    try:
        services.publication_withdraw(project=project, user=request.user)
    except ValidationError as error:
        return _refused(request, project, error)
    return _done(request, project, _("Your consent is withdrawn: the project is not public."))


@login_required
@require_http_methods(["GET", "POST"])
def cohort_projects(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = get_object_or_404(Cohort.objects.select_related("course"), pk=cohort_id)
    if not can_assign_coaches(request.user, cohort):
        raise Http404
    trainers = list(cohort.trainers.filter(is_active=True).order_by("full_name", "pk"))
    status, errors = 200, []
    if request.method == "POST":
        form = CoachForm(request.POST)
        coach = next(
            (t for t in trainers if form.is_valid() and t.pk == form.cleaned_data["coach"]), None
        )
        project = (
            ChangeProject.objects.filter(cohort=cohort, pk=form.cleaned_data["project"]).first()
            if form.is_valid()
            else None
        )
        if project is None or coach is None:
            errors = [_("Choose a project of this cohort and one of its trainers.")]
        else:
            try:
                services.coach_assign(project=project, coach=coach, assigned_by=request.user)
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(request, _("The coach is assigned."))
                return redirect("projects:cohort_projects", cohort.pk)
        status = 400
    page = Paginator(selectors.cohort_projects(cohort=cohort), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return TemplateResponse(
        request,
        "projects/cohort_projects.html",
        {"cohort": cohort, "page_obj": page, "trainers": trainers, "errors": errors},
        status=status,
    )


@require_GET
def gallery(request: HttpRequest) -> HttpResponse:
    form = GalleryForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    projects = selectors.gallery(
        text=(filters.get("q") or "").strip(),
        organization_id=filters.get("organization"),
        year=filters.get("year"),
        topic=filters.get("topic") or "",
    )
    page = Paginator(projects, GALLERY_PER_PAGE).get_page(request.GET.get("page"))
    organizations, years = selectors.gallery_facets()
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "projects/gallery.html",
        {
            "form": form,
            "page_obj": page,
            "organizations": organizations,
            "years": years,
            "topics": Topic.choices,
            "filters": filters,
            "query": query.urlencode(),
        },
    )


@require_GET
def gallery_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(
        ChangeProject.objects.select_related("organization", "learner", "cohort__course"),
        pk=pk,
        published_at__isnull=False,
    )
    return TemplateResponse(request, "projects/gallery_detail.html", {"project": project})
