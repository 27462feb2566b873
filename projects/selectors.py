"""Reading change projects: a person's own, mentored and coached projects, a cohort's list for
its trainers, one project's page, and the public gallery (published projects only)."""

from django.db.models import Prefetch, Q, QuerySet

from cohorts.models import Cohort
from content.models import Organization
from learners.models import User
from projects.models import ChangeProject, Milestone, MilestoneEvidence, ProjectComment


def projects_of(*, user: User) -> QuerySet[ChangeProject]:
    """Projects `user` carries out, mentors or coaches."""
    return (
        ChangeProject.objects.filter(Q(learner=user) | Q(mentor=user) | Q(coach=user))
        .select_related("learner", "cohort__course")
        .order_by("-updated_at", "pk")
    )


def cohort_projects(*, cohort: Cohort) -> QuerySet[ChangeProject]:
    """A cohort's projects with their learner and coach, for the trainers' list."""
    return (
        ChangeProject.objects.filter(cohort=cohort)
        .select_related("learner", "coach")
        .order_by("learner__full_name", "pk")
    )


def project_page(*, pk: int) -> ChangeProject:
    """One project with everything its page shows, in a fixed number of queries."""
    return (
        ChangeProject.objects.select_related(
            "learner", "mentor", "coach", "cohort__course", "organization"
        )
        .prefetch_related(
            Prefetch(
                "milestones",
                Milestone.objects.order_by("position").prefetch_related(
                    Prefetch("evidence", MilestoneEvidence.objects.order_by("pk"))
                ),
            ),
            Prefetch("comments", ProjectComment.objects.select_related("author", "milestone")),
        )
        .get(pk=pk)
    )


def gallery(
    *, text: str = "", organization_id: int | None = None, year: int | None = None, topic: str = ""
) -> QuerySet[ChangeProject]:
    """Published projects matching the gallery's filters, newest first."""
    projects = ChangeProject.objects.filter(published_at__isnull=False)
    if text:
        projects = projects.filter(
            Q(title__icontains=text)
            | Q(public_summary__icontains=text)
            | Q(organization__name__icontains=text)
        )
    if organization_id:
        projects = projects.filter(organization_id=organization_id)
    if year:
        projects = projects.filter(published_year=year)
    if topic:
        projects = projects.filter(topic=topic)
    return projects.select_related("organization", "learner", "cohort__course").order_by(
        "-published_at", "-pk"
    )


def gallery_facets() -> tuple[list[Organization], list[int]]:
    """The agencies and years that have published projects (two queries)."""
    published = ChangeProject.objects.filter(published_at__isnull=False)
    organizations = list(
        Organization.objects.filter(pk__in=published.values("organization_id")).order_by("name")
    )
    years = sorted(
        {y for y in published.values_list("published_year", flat=True).distinct() if y},
        reverse=True,
    )
    return organizations, years


def projects_personal_data(*, user: User) -> dict:
    """What change projects hold about `user`, for their data download (UU PDP): their own
    projects whole (proposal, milestones, evidence listed, every comment on them, the final
    report, assessment and publication), and the projects they mentor or coach with the comments
    they wrote there. Six queries whatever the number of projects."""
    fields = (
        "id",
        "cohort__course__title",
        "cohort__name",
        "title",
        "topic",
        "problem",
        "goals",
        "stakeholders",
        "status",
        "mentor__full_name",
        "coach__full_name",
        "final_report",
        "final_submitted_at",
        "score",
        "outcome",
        "assessment_notes",
        "assessed_at",
        "public_summary",
        "consent_at",
        "published_at",
        "created_at",
    )
    own = {
        row["id"]: row | {"milestones": [], "comments": []}
        for row in ChangeProject.objects.filter(learner=user)
        .order_by("created_at", "pk")
        .values(*fields)
    }
    milestones = {}
    for row in (
        Milestone.objects.filter(project_id__in=list(own))
        .order_by("project_id", "position")
        .values(
            "id",
            "project_id",
            "title",
            "due_on",
            "status",
            "report",
            "evidence_url",
            "reported_at",
            "reviewed_at",
        )
    ):
        milestones[row["id"]] = row | {"evidence_files": []}
        own[row.pop("project_id")]["milestones"].append(milestones[row["id"]])
    for evidence in projects_evidence_of(user=user):
        milestones[evidence.milestone_id]["evidence_files"].append(
            {
                "file": evidence_archive_name(evidence),
                "original_name": evidence.original_name,
                "content_type": evidence.content_type,
                "size": evidence.size,
                "uploaded_at": evidence.uploaded_at,
            }
        )
    for row in (
        ProjectComment.objects.filter(project_id__in=list(own))
        .order_by("created_at", "pk")
        .values("project_id", "milestone__title", "author__full_name", "body", "created_at")
    ):
        own[row.pop("project_id")]["comments"].append(row)
    reviewed = list(
        ChangeProject.objects.filter(Q(mentor=user) | Q(coach=user))
        .order_by("created_at", "pk")
        .values("id", "title", "learner__full_name", "mentor_id", "status")
    )
    for row in reviewed:
        row["role"] = "mentor" if row.pop("mentor_id") == user.pk else "coach"
    written = list(
        ProjectComment.objects.filter(author=user)
        .exclude(project__learner=user)
        .order_by("created_at", "pk")
        .values("project_id", "project__title", "milestone__title", "body", "created_at")
    )
    return {"own": list(own.values()), "mentored_or_coached": reviewed, "comments_written": written}


def projects_evidence_of(*, user: User) -> list[MilestoneEvidence]:
    """The evidence files `user` uploaded to their projects' milestones (one query)."""
    return list(
        MilestoneEvidence.objects.filter(milestone__project__learner=user).order_by(
            "milestone_id", "pk"
        )
    )


def evidence_archive_name(evidence: MilestoneEvidence) -> str:
    """Where an evidence file lies in the person's data download."""
    return f"proyek-perubahan/{evidence.milestone_id}-{evidence.pk}-{evidence.original_name}"
