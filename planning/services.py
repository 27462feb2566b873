"""Writing development plans: the learner drafts a plan for a year and its activities and submits
it; their confirmed direct supervisor agrees it or returns it with a note. An agreed plan no
longer changes unless the supervisor returns it (a revision during the year). Each function
runs in one transaction and refuses bad input with a `ValidationError` whose message says what
to fix; the supervisor's decisions are audited and e-mailed to the owner.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import Action, audit_record
from content.models import Competency
from courses.models import CoursePage
from development.models import DevelopmentForm
from evaluation.models import LearningNeed
from learners.models import User
from learners.supervisors import has_confirmed_supervisor
from planning.models import DevelopmentPlan, PlanItem
from planning.permissions import can_decide_plan
from planning.tasks import plan_decided_notify, plan_submitted_notify

Status = DevelopmentPlan.Status


def plan_years(today: date) -> tuple[int, int]:
    """The years a plan may be started for: this one and the next (planned before it starts)."""
    return today.year, today.year + 1


@transaction.atomic
def plan_create(*, user: User, year: int) -> DevelopmentPlan:
    """Start `user`'s draft plan for `year` (this year or the next); one plan per year."""
    first, last = plan_years(timezone.localdate())
    if not first <= year <= last:
        raise ValidationError(
            {
                "year": ValidationError(
                    _("A plan can be started for %(first)s or %(last)s.")
                    % {"first": first, "last": last},
                    code="year",
                )
            }
        )
    if DevelopmentPlan.objects.filter(user=user, year=year).exists():
        raise ValidationError(
            {"year": ValidationError(_("You already have a plan for %(year)s.") % {"year": year})},
            code="duplicate",
        )
    try:
        with transaction.atomic():
            return DevelopmentPlan.objects.create(user=user, year=year)
    except IntegrityError as error:  # two requests racing past the check
        raise ValidationError(
            {"year": ValidationError(_("You already have a plan for %(year)s.") % {"year": year})},
            code="duplicate",
        ) from error


def _locked_own(plan: DevelopmentPlan, user: User) -> DevelopmentPlan:
    plan = DevelopmentPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.user_id != user.pk:
        raise PermissionDenied(_("Only the owner of a plan may change it."))
    if not plan.is_editable:
        raise ValidationError(
            _(
                "This plan is waiting for your supervisor or has been agreed: it can change "
                "again only once your supervisor returns it."
            ),
            code="not_editable",
        )
    return plan


def _item_validate(
    *,
    plan: DevelopmentPlan,
    course: CoursePage | None,
    form: DevelopmentForm | None,
    competency: Competency | None,
    need: LearningNeed | None,
    target_date: date | None,
    planned_jp: Decimal | None,
) -> None:
    errors: dict[str, list[ValidationError]] = {}
    if (course is None) == (form is None):
        errors["course"] = [
            ValidationError(
                _("Choose either a Lentera course or a form of development, not both."),
                code="course_or_form",
            )
        ]
    elif course is not None and not course.live:
        errors["course"] = [
            ValidationError(_("This course is not published."), code="course_not_live")
        ]
    elif form is not None and not form.active:
        errors["form"] = [
            ValidationError(_("This form of development is no longer offered."), code="inactive")
        ]
    if target_date is None or target_date.year != plan.year:
        errors["target_date"] = [
            ValidationError(
                _("The target date must fall in %(year)s, the year of the plan.")
                % {"year": plan.year},
                code="target_date_year",
            )
        ]
    if planned_jp is None or planned_jp <= 0:
        errors["planned_jp"] = [
            ValidationError(_("The planned JP must be more than zero."), code="planned_jp")
        ]
    if need is not None:
        if need.user_id != plan.user_id:
            errors["need"] = [ValidationError(_("Choose one of your own learning needs."))]
        elif competency is not None and need.competency_id != competency.pk:
            errors["need"] = [
                ValidationError(
                    _("This learning need is about another competency."), code="need_competency"
                )
            ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def item_add(
    *,
    plan: DevelopmentPlan,
    user: User,
    target_date: date,
    planned_jp: Decimal,
    course: CoursePage | None = None,
    form: DevelopmentForm | None = None,
    title: str = "",
    competency: Competency | None = None,
    need: LearningNeed | None = None,
) -> PlanItem:
    """Add an activity to `user`'s own draft or returned plan. Without a title, a course's
    activity takes the course's; a learning need gives its competency."""
    plan = _locked_own(plan, user)
    item = PlanItem(plan=plan)
    _item_fill(
        item,
        course=course,
        form=form,
        title=title,
        competency=competency,
        need=need,
        target_date=target_date,
        planned_jp=planned_jp,
    )
    return item


@transaction.atomic
def item_update(
    *,
    item: PlanItem,
    user: User,
    target_date: date,
    planned_jp: Decimal,
    course: CoursePage | None = None,
    form: DevelopmentForm | None = None,
    title: str = "",
    competency: Competency | None = None,
    need: LearningNeed | None = None,
) -> PlanItem:
    """Change an activity of `user`'s own draft or returned plan."""
    _locked_own(item.plan, user)
    _item_fill(
        item,
        course=course,
        form=form,
        title=title,
        competency=competency,
        need=need,
        target_date=target_date,
        planned_jp=planned_jp,
    )
    return item


def _item_fill(item: PlanItem, **values) -> None:
    _item_validate(
        plan=item.plan,
        course=values["course"],
        form=values["form"],
        competency=values["competency"],
        need=values["need"],
        target_date=values["target_date"],
        planned_jp=values["planned_jp"],
    )
    course, need = values["course"], values["need"]
    title = (values["title"] or "").strip() or (course.title if course is not None else "")
    if not title:
        raise ValidationError(
            {"title": ValidationError(_("Give the activity a title."), code="title")}
        )
    item.course = course
    item.form = values["form"]
    item.title = title[:255]
    item.competency = values["competency"] or (need.competency if need is not None else None)
    item.need = need
    item.target_date = values["target_date"]
    item.planned_jp = values["planned_jp"]
    item.full_clean(exclude=["plan", "course", "form", "competency", "need"])
    item.save()


@transaction.atomic
def item_remove(*, item: PlanItem, user: User) -> None:
    """Remove an activity from `user`'s own draft or returned plan."""
    _locked_own(item.plan, user)
    item.delete()


@transaction.atomic
def plan_submit(*, plan: DevelopmentPlan, user: User) -> DevelopmentPlan:
    """Send `user`'s plan to their confirmed direct supervisor, who is e-mailed."""
    plan = _locked_own(plan, user)
    supervisor = user.supervisor
    if (
        supervisor is None
        or not supervisor.is_active
        or not has_confirmed_supervisor(user, supervisor)
    ):
        raise ValidationError(
            _(
                "Your plan is agreed with your direct supervisor, and you have no confirmed "
                "supervisor yet: name them on your profile and ask them to confirm."
            ),
            code="no_supervisor",
        )
    if not plan.items.exists():
        raise ValidationError(_("Add at least one activity before submitting."), code="empty")
    plan.status = Status.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.save(update_fields=["status", "submitted_at", "updated_at"])
    transaction.on_commit(lambda: plan_submitted_notify.enqueue(plan_id=plan.pk))
    return plan


def _decide(
    *, plan: DevelopmentPlan, supervisor: User, status: str, note: str, allowed_from: tuple
) -> DevelopmentPlan:
    plan = DevelopmentPlan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
    owner = User.objects.get(pk=plan.user_id)
    if not can_decide_plan(supervisor, owner):
        raise PermissionDenied(_("Only the owner's confirmed direct supervisor decides a plan."))
    if plan.status not in allowed_from:
        raise ValidationError(
            _("This plan is not waiting for this decision any more."), code="already_decided"
        )
    note = note.strip()
    if status == Status.RETURNED and not note:
        raise ValidationError(
            {
                "note": ValidationError(
                    _("Say what the owner should change in the plan."), code="note_required"
                )
            }
        )
    previous = plan.status
    plan.status = status
    plan.supervisor_note = note
    if status == Status.AGREED:
        plan.agreed_by, plan.agreed_at = supervisor, timezone.now()
    else:
        plan.agreed_by, plan.agreed_at = None, None
    plan.full_clean(exclude=["user", "agreed_by"], validate_constraints=False)
    plan.save(update_fields=["status", "supervisor_note", "agreed_by", "agreed_at", "updated_at"])
    audit_record(
        supervisor,
        Action.DEVELOPMENT_PLAN_DECIDED,
        organization=owner.organization_id,
        subject=owner,
        target=f"{_('development plan')} {plan.year}",
        detail={"from": previous, "to": status},
    )
    transaction.on_commit(lambda: plan_decided_notify.enqueue(plan_id=plan.pk))
    return plan


@transaction.atomic
def plan_agree(*, plan: DevelopmentPlan, supervisor: User, note: str = "") -> DevelopmentPlan:
    """The confirmed supervisor agrees a submitted plan: it no longer changes."""
    return _decide(
        plan=plan,
        supervisor=supervisor,
        status=Status.AGREED,
        note=note,
        allowed_from=(Status.SUBMITTED,),
    )


@transaction.atomic
def plan_return(*, plan: DevelopmentPlan, supervisor: User, note: str) -> DevelopmentPlan:
    """The confirmed supervisor returns a submitted plan, or reopens an agreed one for a revision
    during the year, saying what to change."""
    return _decide(
        plan=plan,
        supervisor=supervisor,
        status=Status.RETURNED,
        note=note,
        allowed_from=(Status.SUBMITTED, Status.AGREED),
    )
