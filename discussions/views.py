"""Discussion pages: a course's or a cohort's threads, a thread with its answers, moderation,
reports and announcements. Thin: the rules are in `services`, the reads in `selectors`, who
may see what in `permissions` (404 for anyone else, like the rest of the site)."""

from allauth.core.ratelimit import consume_or_429
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cohorts.models import Cohort
from content.inputs import id_parse
from courses.models import CoursePage
from discussions import selectors, services
from discussions.errors import DiscussionError
from discussions.forms import AnnouncementForm, ReplyForm, ReportForm, ThreadForm
from discussions.models import Post, Report, Thread
from discussions.permissions import Access, discussion_access, moderates_anything, thread_access

PER_PAGE = 20
#: allauth's rate limit (ACCOUNT_RATE_LIMITS) on every new thread, answer, report, announcement.
RATE_LIMIT_ACTION = "discussion_post"


def _discussion_url(thread: Thread) -> str:
    if thread.community_id is not None:
        return reverse("discussions:community", args=[thread.community.slug])
    course_id, cohort_id = thread.course_id, thread.cohort_id
    if cohort_id is not None:
        return reverse("discussions:cohort", args=[cohort_id])
    return reverse("discussions:course", args=[course_id])


def _thread_and_access(request: HttpRequest, thread_id: int) -> tuple[Thread, Access]:
    thread = selectors.thread_for_page(thread_id)
    if thread is None:
        raise Http404
    access = thread_access(request.user, thread)
    if not access.can_view:
        raise Http404
    return thread, access


def _post_and_access(request: HttpRequest, post_id: int) -> tuple[Post, Access]:
    post = get_object_or_404(
        Post.objects.select_related(
            "thread__course", "thread__cohort", "thread__community", "author"
        ),
        pk=post_id,
    )
    access = thread_access(request.user, post.thread)
    if not access.can_view:
        raise Http404
    return post, access


def _discussion(request: HttpRequest, *, course: CoursePage, cohort: Cohort | None) -> HttpResponse:
    access = discussion_access(request.user, course=course, cohort=cohort)
    if not access.can_view:
        raise Http404
    # ?lesson=<id> (the lesson page's "ask about this lesson"): that lesson's questions, and
    # the form's lesson chosen; an id that is no lesson of this course is said to be so.
    lesson, lesson_unknown = None, False
    if "lesson" in request.GET:
        lesson = selectors.lesson_of(course, lesson_id=id_parse(request.GET["lesson"]))
        lesson_unknown = lesson is None
    form = ThreadForm(
        request.POST if request.method == "POST" else None,
        lessons=selectors.lessons_of(course),
        initial={"lesson": lesson.pk} if lesson else None,
    )
    if request.method == "POST":
        if limited := consume_or_429(request, action=RATE_LIMIT_ACTION):
            return limited
        if form.is_valid():
            data = form.cleaned_data
            try:
                thread = services.thread_create(
                    author=request.user,
                    course=course,
                    cohort=cohort,
                    lesson=data["lesson"],
                    title=data["title"],
                    body=data["body"],
                )
            except DiscussionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Your question is posted."))
                return redirect("discussions:thread", thread.pk)
    page = Paginator(
        selectors.threads_of(course=course, cohort=cohort, lesson=lesson), PER_PAGE
    ).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "discussions/discussion.html",
        {
            "course": course,
            "cohort": cohort,
            "lesson": lesson,
            "lesson_unknown": lesson_unknown,
            "access": access,
            "page_obj": page,
            "announcements": selectors.announcements_of(cohort) if cohort else [],
            "form": form,
        },
        status=400 if (form.is_bound and form.errors) or lesson_unknown else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def course_discussion(request: HttpRequest, course_id: int) -> HttpResponse:
    course = get_object_or_404(CoursePage.objects.live().defer_streamfields(), pk=course_id)
    return _discussion(request, course=course, cohort=None)


@login_required
@require_http_methods(["GET", "POST"])
def cohort_discussion(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = get_object_or_404(Cohort.objects.select_related("course"), pk=cohort_id)
    return _discussion(request, course=cohort.course, cohort=cohort)


@login_required
@require_http_methods(["GET", "POST"])
def thread_detail(request: HttpRequest, thread_id: int) -> HttpResponse:
    thread, access = _thread_and_access(request, thread_id)
    form = ReplyForm(request.POST if request.method == "POST" else None)
    if thread.community_id is not None:
        form.fields["body"].label = _("Your reply")
    if request.method == "POST":
        if limited := consume_or_429(request, action=RATE_LIMIT_ACTION):
            return limited
        if form.is_valid():
            try:
                services.reply_create(
                    thread=thread, author=request.user, body=form.cleaned_data["body"]
                )
            except DiscussionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Your reply is posted.")
                    if thread.community_id
                    else _("Your answer is posted."),
                )
                return redirect("discussions:thread", thread.pk)
    page = Paginator(selectors.answers_of(thread), PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "discussions/thread.html",
        {
            "thread": thread,
            "question": selectors.question_of(thread),
            "access": access,
            "can_accept": access.trainer or thread.author_id == request.user.pk,
            "discussion_url": _discussion_url(thread),
            "page_obj": page,
            "form": form,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def answer_accept(request: HttpRequest, thread_id: int) -> HttpResponse:
    thread, _access = _thread_and_access(request, thread_id)
    post = Post.objects.filter(pk=id_parse(request.POST.get("post"))).first()
    if post is None:
        messages.error(request, _("Choose an answer to accept."))
    else:
        try:
            services.answer_accept(thread=thread, post=post, user=request.user)
        except DiscussionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The answer is accepted."))
    return redirect("discussions:thread", thread.pk)


@login_required
@require_POST
def thread_lock(request: HttpRequest, thread_id: int) -> HttpResponse:
    thread, access = _thread_and_access(request, thread_id)
    if not access.moderator:
        raise Http404
    locked = request.POST.get("locked") != "0"
    services.thread_lock(thread=thread, moderator=request.user, locked=locked)
    messages.success(
        request, _("The thread is locked.") if locked else _("The thread is open again.")
    )
    return redirect("discussions:thread", thread.pk)


@login_required
@require_POST
def post_hide(request: HttpRequest, post_id: int) -> HttpResponse:
    post, access = _post_and_access(request, post_id)
    if not access.moderator:
        raise Http404
    hidden = request.POST.get("hidden") != "0"
    services.post_hide(post=post, moderator=request.user, hidden=hidden)
    messages.success(request, _("The post is hidden.") if hidden else _("The post is shown again."))
    if request.POST.get("next") == "reports":  # hidden from the reports list: back to it
        return redirect("discussions:reports")
    return redirect("discussions:thread", post.thread_id)


@login_required
@require_http_methods(["GET", "POST"])
def post_report(request: HttpRequest, post_id: int) -> HttpResponse:
    post, access = _post_and_access(request, post_id)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if limited := consume_or_429(request, action=RATE_LIMIT_ACTION):
            return limited
        if form.is_valid():
            try:
                services.report_create(
                    post=post, reporter=request.user, reason=form.cleaned_data["reason"]
                )
            except DiscussionError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Thank you: a moderator will look at this post."))
            return redirect("discussions:thread", post.thread_id)
    return TemplateResponse(
        request,
        "discussions/report_form.html",
        {"post": post, "thread": post.thread, "access": access, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def announcement_create(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = get_object_or_404(Cohort.objects.select_related("course"), pk=cohort_id)
    if not discussion_access(request.user, course=cohort.course, cohort=cohort).trainer:
        raise Http404
    form = AnnouncementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if limited := consume_or_429(request, action=RATE_LIMIT_ACTION):
            return limited
        if form.is_valid():
            services.announcement_create(
                cohort=cohort,
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
            messages.success(
                request, _("The announcement is posted and e-mailed to the cohort's members.")
            )
            return redirect("discussions:cohort", cohort.pk)
    return TemplateResponse(
        request,
        "discussions/announcement_form.html",
        {"cohort": cohort, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    if not moderates_anything(request.user):
        raise Http404
    page = Paginator(selectors.open_reports_for(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return TemplateResponse(request, "discussions/reports.html", {"page_obj": page})


@login_required
@require_POST
def report_dismiss(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_object_or_404(
        Report.objects.select_related(
            "post__thread__course", "post__thread__cohort", "post__thread__community"
        ),
        pk=report_id,
    )
    if not thread_access(request.user, report.post.thread).moderator:
        raise Http404
    services.report_dismiss(report=report, moderator=request.user)
    messages.success(request, _("The report is settled: the post stays."))
    return redirect("discussions:reports")
