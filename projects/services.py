"""Writing change projects, one service per step. Each runs in a transaction, locks the project
row (`select_for_update`) so two people acting at once cannot both move it, refuses a step the
project's status does not allow or bad input with a `ValidationError` that says what to fix,
and then saves nothing. The people concerned are told through `notifications.notify`.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import CohortMembership
from development.services import EVIDENCE_TYPES, evidence_check
from learners.models import Enrollment, User
from learners.supervisors import has_confirmed_supervisor
from notifications.models import Notification
from notifications.services import notify_many
from projects.models import (
    COMMENT_MAX,
    MILESTONES_MAX,
    SUMMARY_MAX,
    TEXT_MAX,
    TITLE_MAX,
    URL_MAX,
    ChangeProject,
    Milestone,
    MilestoneEvidence,
    ProjectComment,
    Topic,
)
from projects.permissions import can_assign_coaches, project_role

Status = ChangeProject.Status
#: Files a milestone report takes at once.
FILES_MAX = 5

_https = URLValidator(schemes=["https", "http"])


@dataclass(frozen=True)
class MilestonePlan:
    """A milestone as the learner plans it: what, and by when."""

    title: str
    due_on: date


def _notify(project: ChangeProject, recipients: Iterable, actor: User | None) -> None:
    notify_many(
        recipients=[r for r in recipients if r is not None],
        kind=Notification.Kind.PROJECT_UPDATE,
        actor=actor,
        subject=project.title,
        url=reverse("projects:detail", args=[project.pk]),
    )


def _locked(project: ChangeProject) -> ChangeProject:
    return ChangeProject.objects.select_for_update().get(pk=project.pk)


def _refuse(message: str, code: str = "invalid") -> None:
    raise ValidationError(message, code=code)


def _require_status(project: ChangeProject, *statuses: str) -> None:
    if project.status not in statuses:
        _refuse(
            _("This cannot be done while the project is “%(status)s”.")
            % {"status": project.get_status_display()},
            code="status",
        )


def _text(errors: dict, name: str, value: str, *, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[name] = _("This field is required.")
    elif len(value) > max_length:
        errors[name] = _("At most %(max)s characters.") % {"max": max_length}
    return value


def _proposal_fields(
    *,
    title: str,
    topic: str,
    problem: str,
    goals: str,
    stakeholders: str,
    milestones: Sequence[MilestonePlan],
) -> dict:
    errors: dict = {}
    fields = {
        "title": _text(errors, "title", title, max_length=TITLE_MAX),
        "problem": _text(errors, "problem", problem, max_length=TEXT_MAX),
        "goals": _text(errors, "goals", goals, max_length=TEXT_MAX),
        "stakeholders": _text(errors, "stakeholders", stakeholders, max_length=TEXT_MAX),
        "topic": topic,
    }
    if "\n" in fields["title"] or "\r" in fields["title"]:
        errors["title"] = _("The title is one line.")
    if topic not in Topic.values:
        errors["topic"] = _("Choose a topic from the list.")
    errors.update(_milestone_errors(milestones))
    if errors:
        raise ValidationError(errors)
    return fields


def _milestone_errors(milestones: Sequence[MilestonePlan]) -> dict:
    if not milestones:
        return {"milestones": _("Plan at least one milestone, with its date.")}
    if len(milestones) > MILESTONES_MAX:
        return {"milestones": _("At most %(max)s milestones.") % {"max": MILESTONES_MAX}}
    today = timezone.localdate()
    previous: date | None = None
    for plan in milestones:
        title = plan.title.strip()
        if not title or len(title) > TITLE_MAX or "\n" in title:
            return {
                "milestones": _(
                    "Each milestone needs a one-line title of at most %(max)s characters."
                )
                % {"max": TITLE_MAX}
            }
        if plan.due_on < today:
            return {
                "milestones": _("A milestone cannot be due in the past: %(title)s.")
                % {"title": title}
            }
        if previous is not None and plan.due_on <= previous:
            return {
                "milestones": _(
                    "Milestones are in order: each is due after the one before (%(title)s)."
                )
                % {"title": title}
            }
        previous = plan.due_on
    return {}


def _milestones_replace(project: ChangeProject, milestones: Sequence[MilestonePlan]) -> None:
    project.milestones.all().delete()
    Milestone.objects.bulk_create(
        Milestone(project=project, position=index, title=plan.title.strip(), due_on=plan.due_on)
        for index, plan in enumerate(milestones, start=1)
    )


@transaction.atomic
def project_create(
    *,
    enrollment: Enrollment,
    user: User,
    title: str,
    topic: str,
    problem: str,
    goals: str,
    stakeholders: str,
    milestones: Sequence[MilestonePlan],
) -> ChangeProject:
    """A draft project of `user` in their active enrollment of a course that requires one, in
    the enrollment's cohort (whose trainers coach it)."""
    enrollment = (
        Enrollment.objects.select_for_update().select_related("course").get(pk=enrollment.pk)
    )
    if enrollment.user_id != user.pk:
        _refuse(_("This is not your enrollment."), code="not_yours")
    if not enrollment.course.requires_change_project:
        _refuse(_("This course does not ask for a change project."), code="not_required")
    if enrollment.status != Enrollment.Status.ACTIVE:
        _refuse(_("Only an active enrollment can have a new change project."), code="inactive")
    membership = CohortMembership.objects.filter(enrollment=enrollment).first()
    if membership is None:
        _refuse(
            _("Join a cohort of this course first: its trainers coach the change projects."),
            code="no_cohort",
        )
    if ChangeProject.objects.filter(enrollment=enrollment).exists():
        _refuse(_("You already have a change project in this course."), code="exists")
    fields = _proposal_fields(
        title=title,
        topic=topic,
        problem=problem,
        goals=goals,
        stakeholders=stakeholders,
        milestones=milestones,
    )
    try:
        with transaction.atomic():
            project = ChangeProject.objects.create(
                enrollment=enrollment,
                learner=user,
                cohort_id=membership.cohort_id,
                organization_id=user.organization_id,
                **fields,
            )
    except IntegrityError:
        _refuse(_("You already have a change project in this course."), code="exists")
    _milestones_replace(project, milestones)
    return project


@transaction.atomic
def project_update(
    *,
    project: ChangeProject,
    user: User,
    title: str,
    topic: str,
    problem: str,
    goals: str,
    stakeholders: str,
    milestones: Sequence[MilestonePlan],
) -> ChangeProject:
    """The learner corrects their proposal while it is a draft or changes were asked."""
    project = _locked(project)
    if not project_role(user, project).learner:
        _refuse(_("Only the learner edits their proposal."), code="not_yours")
    _require_status(project, Status.DRAFT, Status.CHANGES_REQUESTED)
    fields = _proposal_fields(
        title=title,
        topic=topic,
        problem=problem,
        goals=goals,
        stakeholders=stakeholders,
        milestones=milestones,
    )
    for name, value in fields.items():
        setattr(project, name, value)
    project.save()
    _milestones_replace(project, milestones)
    return project


@transaction.atomic
def project_submit(*, project: ChangeProject, user: User) -> ChangeProject:
    """The learner sends the proposal to their mentor (their confirmed direct supervisor, taken
    now) and coach; both approvals start again."""
    project = _locked(project)
    if not project_role(user, project).learner:
        _refuse(_("Only the learner submits their proposal."), code="not_yours")
    _require_status(project, Status.DRAFT, Status.CHANGES_REQUESTED)
    learner = User.objects.select_related("supervisor").get(pk=user.pk)
    if learner.supervisor is None or not (
        has_confirmed_supervisor(learner, learner.supervisor) and learner.supervisor.is_active
    ):
        _refuse(
            _(
                "Your direct supervisor is your mentor: name them in your profile and wait for "
                "their confirmation before submitting."
            ),
            code="no_mentor",
        )
    if not project.milestones.exists():
        _refuse(_("Plan at least one milestone, with its date."), code="no_milestones")
    project.mentor = learner.supervisor
    project.status = Status.PROPOSED
    project.mentor_approved_at = None
    project.coach_approved_at = None
    project.save()
    _notify(project, [project.mentor, project.coach], user)
    return project


@transaction.atomic
def coach_assign(*, project: ChangeProject, coach: User, assigned_by: User) -> ChangeProject:
    """A trainer of the project's cohort makes one of its trainers the coach."""
    project = _locked(project)
    cohort = project.cohort
    if not can_assign_coaches(assigned_by, cohort):
        _refuse(_("Only the cohort's trainers assign coaches."), code="not_trainer")
    if not cohort.trainers.filter(pk=coach.pk, is_active=True).exists():
        _refuse(_("The coach must be a trainer of the cohort."), code="not_cohort_trainer")
    if coach.pk == project.learner_id:
        _refuse(_("A learner cannot coach their own project."), code="own")
    _require_status(
        project,
        Status.DRAFT,
        Status.PROPOSED,
        Status.CHANGES_REQUESTED,
        Status.IN_PROGRESS,
        Status.FINAL_SUBMITTED,
        Status.REVISE,
    )
    if project.coach_id == coach.pk:
        return project
    project.coach = coach
    project.coach_approved_at = (
        None if project.status == Status.PROPOSED else project.coach_approved_at
    )
    project.save()
    _notify(project, [coach, project.learner], assigned_by)
    return project


def _comment(project: ChangeProject, author: User, body: str, milestone: Milestone | None = None):
    if body:
        ProjectComment.objects.create(
            project=project, milestone=milestone, author=author, body=body
        )


def _comment_text(comment: str, *, required: bool) -> str:
    comment = (comment or "").strip()
    if required and not comment:
        raise ValidationError({"comment": _("Say what should change.")}, code="comment_required")
    if len(comment) > COMMENT_MAX:
        raise ValidationError({"comment": _("At most %(max)s characters.") % {"max": COMMENT_MAX}})
    return comment


@transaction.atomic
def proposal_review(
    *, project: ChangeProject, reviewer: User, approve: bool, comment: str = ""
) -> ChangeProject:
    """The mentor or coach approves the proposal or asks for changes (with a comment). Both
    approvals start the project."""
    project = _locked(project)
    role = project_role(reviewer, project)
    if not role.reviewer:
        _refuse(_("Only the mentor and the coach review the proposal."), code="not_reviewer")
    _require_status(project, Status.PROPOSED)
    comment = _comment_text(comment, required=not approve)
    now = timezone.now()
    if approve:
        if role.mentor:
            project.mentor_approved_at = now
        if role.coach:
            project.coach_approved_at = now
        if project.mentor_approved_at and project.coach_approved_at:
            project.status = Status.IN_PROGRESS
    else:
        project.status = Status.CHANGES_REQUESTED
        project.mentor_approved_at = None
        project.coach_approved_at = None
    project.save()
    _comment(project, reviewer, comment)
    _notify(project, [project.learner, project.mentor, project.coach], reviewer)
    return project


def _milestone_locked(milestone: Milestone) -> tuple[ChangeProject, Milestone]:
    project = _locked(milestone.project)
    return project, Milestone.objects.select_for_update().get(pk=milestone.pk)


@transaction.atomic
def milestone_report(
    *,
    milestone: Milestone,
    user: User,
    report: str,
    evidence_url: str = "",
    files: Sequence[UploadedFile] = (),
) -> Milestone:
    """The learner reports a milestone with evidence: text, a link, allow-listed files."""
    project, milestone = _milestone_locked(milestone)
    if not project_role(user, project).learner:
        _refuse(_("Only the learner reports their milestones."), code="not_yours")
    _require_status(project, Status.IN_PROGRESS)
    if milestone.status not in (Milestone.Status.PLANNED, Milestone.Status.CHANGES_REQUESTED):
        _refuse(_("This milestone is already reported."), code="milestone_status")
    errors: dict = {}
    report = _text(errors, "report", report, max_length=TEXT_MAX)
    evidence_url = (evidence_url or "").strip()
    if evidence_url:
        try:
            _https(evidence_url)
            if len(evidence_url) > URL_MAX:
                raise ValidationError("")
        except ValidationError:
            errors["evidence_url"] = _("Enter a valid web address.")
    if len(files) > FILES_MAX:
        errors["files"] = _("At most %(max)s files at once.") % {"max": FILES_MAX}
    else:
        for file in files:
            try:
                evidence_check(file)
            except ValidationError as error:
                errors["files"] = error.messages
                break
    if errors:
        raise ValidationError(errors)
    for file in files:
        extension = file.name.rsplit(".", 1)[-1].lower()
        evidence = MilestoneEvidence(
            milestone=milestone,
            original_name=file.name[-255:],
            content_type=EVIDENCE_TYPES[extension],
            size=file.size,
        )
        evidence.file.save(file.name, file, save=False)
        evidence.save()
    milestone.report = report
    milestone.evidence_url = evidence_url
    milestone.status = Milestone.Status.REPORTED
    milestone.reported_at = timezone.now()
    milestone.save()
    _notify(project, [project.mentor, project.coach], user)
    return milestone


@transaction.atomic
def milestone_review(
    *, milestone: Milestone, reviewer: User, accept: bool, comment: str = ""
) -> Milestone:
    """The mentor or coach accepts a reported milestone or asks for changes (with a comment)."""
    project, milestone = _milestone_locked(milestone)
    if not project_role(reviewer, project).reviewer:
        _refuse(_("Only the mentor and the coach review milestones."), code="not_reviewer")
    _require_status(project, Status.IN_PROGRESS)
    if milestone.status != Milestone.Status.REPORTED:
        _refuse(_("Only a reported milestone can be reviewed."), code="milestone_status")
    comment = _comment_text(comment, required=not accept)
    milestone.status = Milestone.Status.ACCEPTED if accept else Milestone.Status.CHANGES_REQUESTED
    milestone.reviewed_by = reviewer
    milestone.reviewed_at = timezone.now()
    milestone.save()
    _comment(project, reviewer, comment, milestone)
    _notify(project, [project.learner, project.mentor, project.coach], reviewer)
    return milestone


@transaction.atomic
def comment_add(
    *, project: ChangeProject, author: User, body: str, milestone: Milestone | None = None
) -> ProjectComment:
    """A private remark by the learner, mentor or coach, seen by the three of them only."""
    project = _locked(project)
    if not project_role(author, project).can_view:
        _refuse(_("Only the learner, mentor and coach comment."), code="not_yours")
    if milestone is not None and milestone.project_id != project.pk:
        _refuse(_("This milestone is not in the project."), code="wrong_milestone")
    errors: dict = {}
    body = _text(errors, "body", body, max_length=COMMENT_MAX)
    if errors:
        raise ValidationError(errors)
    comment = ProjectComment.objects.create(
        project=project, milestone=milestone, author=author, body=body
    )
    _notify(project, [project.learner, project.mentor, project.coach], author)
    return comment


@transaction.atomic
def final_submit(*, project: ChangeProject, user: User, final_report: str) -> ChangeProject:
    """The learner submits the final report once every milestone is accepted (or again, when
    the coach asked for a revision)."""
    project = _locked(project)
    if not project_role(user, project).learner:
        _refuse(_("Only the learner submits the final report."), code="not_yours")
    _require_status(project, Status.IN_PROGRESS, Status.REVISE)
    if project.milestones.exclude(status=Milestone.Status.ACCEPTED).exists():
        _refuse(
            _("Every milestone must be accepted before the final report."), code="milestones_open"
        )
    errors: dict = {}
    project.final_report = _text(errors, "final_report", final_report, max_length=TEXT_MAX * 2)
    if errors:
        raise ValidationError(errors)
    project.status = Status.FINAL_SUBMITTED
    project.final_submitted_at = timezone.now()
    project.save()
    _notify(project, [project.coach, project.mentor], user)
    return project


@transaction.atomic
def project_assess(
    *, project: ChangeProject, coach: User, score: int, outcome: str, notes: str = ""
) -> ChangeProject:
    """The coach scores the final report (0–100) and decides: passed, or revise."""
    project = _locked(project)
    if not project_role(coach, project).coach:
        _refuse(_("Only the coach assesses the final report."), code="not_coach")
    _require_status(project, Status.FINAL_SUBMITTED)
    errors: dict = {}
    if not isinstance(score, int) or not 0 <= score <= 100:
        errors["score"] = _("A score from 0 to 100.")
    if outcome not in ChangeProject.Outcome.values:
        errors["outcome"] = _("Choose passed or revise.")
    notes = _text(errors, "notes", notes, max_length=TEXT_MAX, required=outcome == "revise")
    if errors:
        raise ValidationError(errors)
    project.score = score
    project.outcome = outcome
    project.assessment_notes = notes
    project.assessed_at = timezone.now()
    project.status = Status.PASSED if outcome == ChangeProject.Outcome.PASSED else Status.REVISE
    project.save()
    _notify(project, [project.learner, project.mentor], coach)
    return project


@transaction.atomic
def publication_request(
    *, project: ChangeProject, user: User, public_summary: str, consent: bool
) -> ChangeProject:
    """The learner consents to publication with a public summary; the coach approves it before
    it is shown. A changed summary is taken off the gallery until approved again."""
    project = _locked(project)
    if not project_role(user, project).learner:
        _refuse(_("Only the learner consents to publication."), code="not_yours")
    _require_status(project, Status.PASSED)
    errors: dict = {}
    public_summary = _text(errors, "public_summary", public_summary, max_length=SUMMARY_MAX)
    if not consent:
        errors["consent"] = _("Publication needs your consent.")
    if errors:
        raise ValidationError(errors)
    project.public_summary = public_summary
    project.consent_at = timezone.now()
    project.summary_approved_at = None
    project.published_at = None
    project.published_year = None
    project.save()
    _notify(project, [project.coach], user)
    return project


@transaction.atomic
def publication_approve(*, project: ChangeProject, coach: User) -> ChangeProject:
    """The coach approves the public summary: the project is in the gallery."""
    project = _locked(project)
    if not project_role(coach, project).coach:
        _refuse(_("Only the coach approves the public summary."), code="not_coach")
    _require_status(project, Status.PASSED)
    if project.consent_at is None:
        _refuse(_("The learner has not consented to publication."), code="no_consent")
    if project.published_at is not None:
        _refuse(_("The project is already published."), code="published")
    now = timezone.now()
    project.summary_approved_at = now
    project.published_at = now
    project.published_year = timezone.localtime(project.assessed_at or now).year
    project.save()
    _notify(project, [project.learner], coach)
    return project


@transaction.atomic
def publication_withdraw(*, project: ChangeProject, user: User) -> ChangeProject:
    """The learner withdraws consent: the project leaves the gallery at once."""
    project = _locked(project)
    if not project_role(user, project).learner:
        _refuse(_("Only the learner withdraws their consent."), code="not_yours")
    if project.consent_at is None:
        _refuse(_("There is no consent to withdraw."), code="no_consent")
    project.consent_at = None
    project.summary_approved_at = None
    project.published_at = None
    project.published_year = None
    project.save()
    _notify(project, [project.coach], user)
    return project


def projects_erase(*, user: User) -> list[str]:
    """Erase `user`'s change projects (UU PDP: a project describes their workplace and their
    work, so it goes with the account, out of the gallery too) and blank the comments they wrote
    on other people's projects. Returns the evidence files to delete once the transaction
    commits (`privacy.erasure`). Mentoring and coaching leave only the erased account's name."""
    evidence = MilestoneEvidence.objects.filter(milestone__project__learner=user)
    names = [name for name in evidence.values_list("file", flat=True) if name]
    ChangeProject.objects.filter(learner=user).delete()
    ProjectComment.objects.filter(author=user).update(body="")
    return names
