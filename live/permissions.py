"""Who sees and runs a cohort's live sessions, with the cohort pages' rules.

- Its trainers (and platform administrators) schedule, edit, cancel and take attendance.
- Its members whose enrollment is active, completed or expired see its sessions (alumni keep
  their past sessions); pending, rejected or withdrawn people do not, as they see none of its
  learning. A trainer of the course who does not train the cohort sees nothing, as on the
  cohort pages.
Everyone else gets 404, like the rest of the site.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from cohorts.models import Cohort, CohortMembership
from learners.models import Enrollment, User
from learners.permissions import is_platform_admin

#: Enrollments that make a cohort member see its sessions and stand on its attendance list.
MEMBER_STATUSES = (
    Enrollment.Status.ACTIVE,
    Enrollment.Status.COMPLETED,
    Enrollment.Status.EXPIRED,
)


@dataclass(frozen=True)
class Access:
    """What one person may do with one cohort's sessions."""

    member: bool = False
    trainer: bool = False

    @property
    def can_view(self) -> bool:
        return self.member or self.trainer


NOBODY = Access()
ADMIN = Access(trainer=True)


def session_access(user: User, cohort: Cohort) -> Access:
    """`user`'s rights on `cohort`'s sessions: one query (none for an administrator)."""
    if not user.is_authenticated or not user.is_active:
        return NOBODY
    if is_platform_admin(user):
        return ADMIN
    flags = (
        Cohort.objects.filter(pk=cohort.pk)
        .annotate(
            trains=Exists(
                Cohort.trainers.through.objects.filter(cohort_id=OuterRef("pk"), user_id=user.pk)
            ),
            member=Exists(
                CohortMembership.objects.filter(
                    cohort_id=OuterRef("pk"),
                    enrollment__user_id=user.pk,
                    enrollment__status__in=MEMBER_STATUSES,
                )
            ),
        )
        .values("trains", "member")
        .get()
    )
    return Access(member=flags["member"], trainer=flags["trains"])


def calendar_cohorts_q(user: User) -> Q:
    """Sessions (rows with a `cohort`) of the cohorts in `user`'s calendar: those they are a
    member of and those they train. Administrators get their own cohorts too, not everyone's."""
    member_of = CohortMembership.objects.filter(
        enrollment__user_id=user.pk, enrollment__status__in=MEMBER_STATUSES
    ).values("cohort_id")
    trains = Cohort.trainers.through.objects.filter(user_id=user.pk).values("cohort_id")
    return Q(cohort_id__in=member_of) | Q(cohort_id__in=trains)
