"""The trainer's dashboard: my cohorts, a cohort's learners and charts, reminders, requests and
exports (how people get into a cohort is `cohorts.member_views`). Thin: rules live in services
and selectors.

Every cohort view looks the cohort up among those the user trains (`cohorts_trained_by`), so a
trainer of another cohort, a learner or an admin of another organization gets 404.
"""

from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts import exports, selectors, services, statistics
from cohorts.forms import CohortForm, ReminderForm, TableFiltersForm
from cohorts.models import Cohort
from cohorts.permissions import cohorts_trained_by, courses_open_for_new_cohorts, is_trainer
from content.inputs import id_parse
from core import charts
from learners.errors import LearningError
from learners.models import WorkUnit
from learners.nip import nip_mask
from learners.services import enrollment_decide

LEARNERS_PER_PAGE = 50
INVITATIONS_LISTED = 100
#: Up to this many lessons the cohort page charts completion per lesson; above it, per module,
#: one module's lessons at a time (`?modul=`): a course of 1,000 lessons made a 385 KB page.
LESSON_CHART_MAX = 30
#: Modules per page of the "completion per module" chart (`?modul_hal=`).
MODULES_PER_PAGE = 20
#: Up to this many work units among the cohort's learners the table's unit filter is a
#: drop-down; beyond, each unit in the table links to its filter (337 units at size L made a
#: 14 KB <select>).
UNIT_SELECT_MAX = 30


def trained_cohort(request, cohort_id: int) -> Cohort:
    # With the course's outline version: the course's lessons are cached per version of it
    # (`selectors.course_lessons`), read without a query of its own.
    return get_object_or_404(
        cohorts_trained_by(request.user).select_related("course", "course__outline_version"),
        pk=cohort_id,
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
    cohort = trained_cohort(request, cohort_id)
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
    units = list(
        WorkUnit.objects.filter(
            members__enrollments__cohort_membership__cohort=cohort,
        )
        .distinct()
        .order_by("name")
        .values_list("pk", "name")[: UNIT_SELECT_MAX + 1]
    )
    form = TableFiltersForm(
        request.GET, units=units if len(units) <= UNIT_SELECT_MAX else None, cohort=cohort
    )
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
    quizzes = [lesson for lesson in lessons if lesson.scored]
    return [
        {
            "enrollment": enrollment,
            "user": enrollment.user,
            "nip": nip_mask(enrollment.user.nip or ""),
            "unit": enrollment.user.work_unit.name if enrollment.user.work_unit else "",
            "unit_id": enrollment.user.work_unit_id,
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


def _lesson_heatmap(title: str, lessons, learners: int):
    rows = [
        (
            module or _("Lessons"),
            [
                (lesson.title, round(100 * lesson.completed / learners) if learners else None)
                for lesson in group
            ],
        )
        for module, group in groupby(lessons, key=lambda lesson: lesson.module)
    ]
    return charts.heatmap(
        title=title,
        description=_(
            "Share of the cohort's learners who completed each lesson, module by module."
        ),
        rows=rows,
        value_label=_("Share of learners, percent"),
        max_value=100,
        cell_header=_("Lesson"),
    )


def _module_heatmap(module_page):
    first, last = module_page.start_index(), module_page.end_index()
    return charts.heatmap(
        title=_("Completion per module"),
        description=_(
            "Share of the required lessons of each module completed by the cohort's learners."
        ),
        rows=[
            (
                _("Modules %(first)s–%(last)s") % {"first": first, "last": last},
                [(module.title or _("Lessons"), module.percent) for module in module_page],
            )
        ],
        value_label=_("Share of lessons, percent"),
        max_value=100,
        cell_header=_("Module"),
    )


def _modules_view(request, lessons, learners: int):
    """For a course of more than `LESSON_CHART_MAX` lessons: the page of modules charted
    (`?modul_hal=`) and the module whose lessons are charted (`?modul=`, its number in the
    outline; anything else charts none). None, None for a smaller course."""
    if len(lessons) <= LESSON_CHART_MAX:
        return None, None
    modules = statistics.module_completion(lessons, learners)
    number = id_parse(request.GET.get("modul"))
    chosen = modules[number - 1] if number is not None and number <= len(modules) else None
    paginator = Paginator(modules, MODULES_PER_PAGE)
    page_number = request.GET.get("modul_hal")
    if page_number is None and chosen is not None:
        page_number = (chosen.number - 1) // MODULES_PER_PAGE + 1
    return paginator.get_page(page_number), chosen


def _charts(cohort: Cohort, summary, lessons, module_page=None, module=None):
    if module_page is None:
        per_lesson = [_lesson_heatmap(_("Completion per lesson"), lessons, summary.learners)]
    else:
        per_lesson = [_module_heatmap(module_page)]
        if module is not None:
            per_lesson.append(
                _lesson_heatmap(
                    _("Completion per lesson: %(module)s")
                    % {"module": module.title or _("Lessons")},
                    module.lessons,
                    summary.learners,
                )
            )
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
            points=statistics.completions_per_day(cohort),
            value_label=_("Lessons completed"),
        ),
        *per_lesson,
    ]


@login_required
def cohort_detail(request, cohort_id: int):
    cohort = trained_cohort(request, cohort_id)
    rule = selectors.risk_rule(cohort)
    base = selectors.cohort_enrollments(cohort, rule=rule)
    form, filters = _filters(request, cohort)
    rows = selectors.filtered_enrollments(base.select_related("user", "user__work_unit"), filters)
    page = Paginator(rows, LEARNERS_PER_PAGE).get_page(request.GET.get("page"))
    lessons = selectors.lesson_completion_counts(cohort, selectors.course_lessons(cohort))
    summary = statistics.cohort_summary(base)
    module_page, module = _modules_view(request, lessons, summary.learners)
    scores = selectors.lesson_scores([enrollment.pk for enrollment in page])
    services.cohort_view_record(cohort=cohort, viewer=request.user, page=page.number)
    return TemplateResponse(
        request,
        "cohorts/cohort_detail.html",
        {
            "cohort": cohort,
            "rule": rule,
            "summary": summary,
            "charts": _charts(cohort, summary, lessons, module_page, module),
            "module_page": module_page,
            "module": module,
            "form": form,
            "filters": filters,
            "page_obj": page,
            "rows": _table_rows(page, lessons, scores),
            "quizzes": [lesson for lesson in lessons if lesson.scored],
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
@require_POST
def cohort_remind(request, cohort_id: int):
    cohort = trained_cohort(request, cohort_id)
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
    cohort = trained_cohort(request, cohort_id)
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
    cohort = trained_cohort(request, cohort_id)
    return exports.cohort_export(cohort=cohort, exported_by=request.user, file_format=file_format)
