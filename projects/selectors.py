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
