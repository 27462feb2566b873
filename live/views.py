"""Live session pages: a cohort's sessions, the trainer's session and attendance forms, the
per-session .ics download, the calendar address page and the feed itself. Thin: rules in
`services`, reads in `selectors`, who may see what in `permissions` (404 for anyone else)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cohorts.models import Cohort
from learners.models import User
from live import ics, selectors, services
from live.forms import AttendanceForm, SessionForm
from live.models import CalendarFeed, LiveSession
from live.permissions import Access, session_access

PER_PAGE = 20
#: The upcoming sessions a cohort's page lists (the calendar feed has them all).
UPCOMING_SHOWN = 20


def _absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _cohort_and_access(request: HttpRequest, cohort_id: int) -> tuple[Cohort, Access]:
    cohort = get_object_or_404(Cohort.objects.select_related("course"), pk=cohort_id)
    access = session_access(request.user, cohort)
    if not access.can_view:
        raise Http404
    return cohort, access


def _session_and_access(request: HttpRequest, session_id: int) -> tuple[LiveSession, Access]:
    session = get_object_or_404(LiveSession.objects.select_related("cohort__course"), pk=session_id)
    access = session_access(request.user, session.cohort)
    if not access.can_view:
        raise Http404
    return session, access


def _trainers_session(request: HttpRequest, session_id: int) -> LiveSession:
    session, access = _session_and_access(request, session_id)
    if not access.trainer:
        raise Http404
    return session


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=ics.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def cohort_sessions(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort, access = _cohort_and_access(request, cohort_id)
    now = timezone.now()
    upcoming = list(selectors.sessions_upcoming(cohort=cohort, now=now)[: UPCOMING_SHOWN + 1])
    past = Paginator(selectors.sessions_past(cohort=cohort, now=now), PER_PAGE).get_page(
        request.GET.get("page")
    )
    if access.member:
        attended = selectors.attended_session_ids(user=request.user, sessions=list(past))
        for session in past:
            session.my_attendance = attended.get(session.pk)
    return TemplateResponse(
        request,
        "live/cohort_sessions.html",
        {
            "cohort": cohort,
            "access": access,
            "upcoming": upcoming[:UPCOMING_SHOWN],
            "more_upcoming": len(upcoming) > UPCOMING_SHOWN,
            "page_obj": past,
        },
    )


def _session_form_page(
    request: HttpRequest, *, cohort: Cohort, form: SessionForm, session: LiveSession | None
) -> HttpResponse:
    return TemplateResponse(
        request,
        "live/session_form.html",
        {"cohort": cohort, "form": form, "session": session, "max_hours": services.MAX_HOURS},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort, access = _cohort_and_access(request, cohort_id)
    if not access.trainer:
        raise Http404
    form = SessionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_create(cohort=cohort, created_by=request.user, **form.session_fields())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The session is scheduled."))
            return redirect("live:cohort_sessions", cohort.pk)
    return _session_form_page(request, cohort=cohort, form=form, session=None)


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _trainers_session(request, session_id)
    form = SessionForm.for_session(session, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(
                session=session, changed_by=request.user, **form.session_fields()
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The session is changed."))
            return redirect("live:cohort_sessions", session.cohort_id)
    return _session_form_page(request, cohort=session.cohort, form=form, session=session)


@login_required
@require_POST
def session_cancel(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _trainers_session(request, session_id)
    try:
        services.session_cancel(session=session, cancelled_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The session is cancelled: it stays listed as cancelled."))
    return redirect("live:cohort_sessions", session.cohort_id)


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _trainers_session(request, session_id)
    rows = selectors.attendance_sheet(session)
    form = AttendanceForm(request.POST if request.method == "POST" else None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.attendance_record(
                session=session, recorded_by=request.user, marks=form.marks()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Attendance saved: %(counted)s now counted, %(withdrawn)s corrected to "
                    "absent, %(unchanged)s unchanged."
                )
                % {
                    "counted": result.counted,
                    "withdrawn": result.withdrawn,
                    "unchanged": result.unchanged,
                },
            )
            return redirect("live:attendance", session.pk)
    return TemplateResponse(
        request,
        "live/attendance.html",
        {
            "session": session,
            "cohort": session.cohort,
            "form": form,
            "hours": services.session_hours(session),
            "started": session.starts_at <= timezone.now(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _page_url_of(session: LiveSession) -> str:
    return _absolute(reverse("live:cohort_sessions", args=[session.cohort_id]))


@login_required
@require_GET
def session_ics(request: HttpRequest, session_id: int) -> HttpResponse:
    session, _access = _session_and_access(request, session_id)
    content = ics.calendar([session], name=session.cohort.name, page_url_of=_page_url_of)
    return _ics_response(content, f"sesi-{session.pk}.ics")


@login_required
@require_GET
def calendar_page(request: HttpRequest) -> HttpResponse:
    feed = CalendarFeed.objects.filter(user=request.user).first()
    feed_url = _absolute(reverse("live:feed", args=[feed.token])) if feed else ""
    return TemplateResponse(request, "live/calendar.html", {"feed": feed, "feed_url": feed_url})


@login_required
@require_POST
def calendar_renew(request: HttpRequest) -> HttpResponse:
    had_one = CalendarFeed.objects.filter(user=request.user).exists()
    services.calendar_feed_renew(user=request.user)
    messages.success(
        request,
        _("Your calendar address is renewed: the old one no longer works.")
        if had_one
        else _("Your calendar address is ready: add it to your calendar app."),
    )
    return redirect("live:calendar")


@login_required
@require_POST
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    services.calendar_feed_revoke(user=request.user)
    messages.success(request, _("Your calendar address is revoked: it no longer works."))
    return redirect("live:calendar")


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The calendar feed: no session cookie (calendar apps have none), the token is the
    credential; a wrong, renewed or revoked token, or a deactivated account, gets 404."""
    owner: User | None = selectors.feed_owner(token)
    if owner is None:
        raise Http404
    sessions = selectors.feed_sessions(user=owner, now=timezone.now())
    content = ics.calendar(sessions, name=_("Lentera live sessions"), page_url_of=_page_url_of)
    response = HttpResponse(content, content_type=ics.CONTENT_TYPE)
    # The address is a secret: no shared cache keeps it, no page it is opened from learns it.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response
