"""Who sees a discussion and who moderates it.

- A course's discussion: people enrolled in the course whose enrollment is active, completed or
  expired (alumni keep reading and helping), its trainers (`CourseTrainer`, and trainers of its
  cohorts). A pending request is not yet admitted, and rejected or withdrawn people left: they
  see nothing, as they see none of the course's learning.
- A cohort's discussion: its members (same statuses) and its trainers. A trainer of the course
  who does not train the cohort sees none of it, as on the cohort pages.
- Moderators (hide a post, lock a thread, read the reports): the trainers above and the
  moderators of the course's organization (its Wagtail moderators group, the people who already
  approve its content), and platform administrators. Organization moderators see a discussion
  only to moderate it.
- A community of practice: anyone signed in sees its name and description and may join; its
  topics, resources, events and members are for its members and its moderators (the people the
  platform administrators named, the moderators of its organization, platform administrators).
  Nobody trains in a community: no answer is marked as a trainer's, only the asker accepts.
Everyone else gets 404, like the rest of the site.
"""

from dataclasses import dataclass

from django.db.models import Exists, Q, QuerySet

from cohorts.models import Cohort
from content.models import Organization
from courses.models import CoursePage
from discussions.models import Community, Membership, Thread
from learners.models import CourseTrainer, Enrollment, User
from learners.permissions import is_platform_admin

#: Enrollments that admit someone to a course's discussions.
PARTICIPATING_STATUSES = (
    Enrollment.Status.ACTIVE,
    Enrollment.Status.COMPLETED,
    Enrollment.Status.EXPIRED,
)


@dataclass(frozen=True)
class Access:
    """What one person may do in one discussion."""

    participant: bool = False  # enrolled (or a member) with a participating status
    trainer: bool = False  # their answers are marked; they accept answers, announce (cohort)
    moderator: bool = False  # hides posts, locks threads (trainers and organization moderators)

    @property
    def can_view(self) -> bool:
        return self.participant or self.trainer or self.moderator

    @property
    def can_post(self) -> bool:
        return self.can_view


NOBODY = Access()
ADMIN = Access(trainer=True, moderator=True)


def _moderated_organizations(user: User) -> QuerySet[Organization]:
    return Organization.objects.filter(moderators_group__user=user.pk)


def discussion_access(user: User, *, course: CoursePage, cohort: Cohort | None = None) -> Access:
    """`user`'s rights in the discussion of `cohort` (of `course`), or of `course` itself
    without a cohort: one query, whatever the roles (none for an administrator)."""
    if not user.is_authenticated or not user.is_active:
        return NOBODY
    if is_platform_admin(user):
        return ADMIN
    enrollments = Enrollment.objects.filter(
        user_id=user.pk, course_id=course.pk, status__in=PARTICIPATING_STATUSES
    )
    if cohort is None:
        trains = Exists(
            CourseTrainer.objects.filter(user_id=user.pk, course_id=course.pk)
        ) | Exists(Cohort.trainers.through.objects.filter(user_id=user.pk, cohort__course=course))
    else:
        enrollments = enrollments.filter(cohort_membership__cohort_id=cohort.pk)
        trains = Exists(
            Cohort.trainers.through.objects.filter(user_id=user.pk, cohort_id=cohort.pk)
        )
    flags = (
        User.objects.filter(pk=user.pk)
        .annotate(
            enrolled=Exists(enrollments),
            trains=trains,
            moderates=Exists(_moderated_organizations(user).filter(pk=course.provider_id)),
        )
        .values("enrolled", "trains", "moderates")
        .get()
    )
    return Access(
        participant=flags["enrolled"],
        trainer=flags["trains"],
        moderator=flags["trains"] or flags["moderates"],
    )


def community_access(user: User, *, community: Community) -> Access:
    """`user`'s rights in `community`: one query, whatever the roles (none for an administrator
    or someone signed out)."""
    if not user.is_authenticated or not user.is_active:
        return NOBODY
    if is_platform_admin(user):
        return Access(moderator=True)
    flags = (
        User.objects.filter(pk=user.pk)
        .annotate(
            member=Exists(Membership.objects.filter(user_id=user.pk, community_id=community.pk)),
            names=Exists(
                Community.moderators.through.objects.filter(
                    user_id=user.pk, community_id=community.pk
                )
            ),
            moderates=Exists(
                _moderated_organizations(user).filter(pk=community.organization_id or 0)
            ),
        )
        .values("member", "names", "moderates")
        .get()
    )
    return Access(participant=flags["member"], moderator=flags["names"] or flags["moderates"])


def thread_access(user: User, thread: Thread) -> Access:
    """`user`'s rights in the discussion `thread` belongs to (a course's, a cohort's or a
    community's)."""
    if thread.community_id is not None:
        return community_access(user, community=thread.community)
    return discussion_access(user, course=thread.course, cohort=thread.cohort)


def moderated_communities_q(user: User, prefix: str = "") -> Q:
    """Communities (or, with `prefix` such as "community__", rows about them) `user`
    moderates: named moderators and the moderators of the community's organization."""
    if is_platform_admin(user):
        return Q()
    if not user.is_authenticated:
        return Q(pk__in=[])
    return Q(**{f"{prefix}moderators": user.pk}) | Q(
        **{f"{prefix}organization_id__in": _moderated_organizations(user).values("pk")}
    )


def moderated_threads_q(user: User, prefix: str = "") -> Q:
    """Threads (or, with `prefix` such as "post__thread__", rows about them) `user` moderates;
    see the module's docstring."""
    if is_platform_admin(user):
        return Q()
    if not user.is_authenticated:
        return Q(pk__in=[])
    course_trained = Q(
        **{
            f"{prefix}cohort__isnull": True,
            f"{prefix}course_id__in": CourseTrainer.objects.filter(user_id=user.pk).values(
                "course_id"
            ),
        }
    ) | Q(
        **{
            f"{prefix}cohort__isnull": True,
            f"{prefix}course_id__in": Cohort.objects.filter(trainers=user).values("course_id"),
        }
    )
    cohort_trained = Q(
        **{f"{prefix}cohort_id__in": Cohort.objects.filter(trainers=user).values("pk")}
    )
    organization = Q(
        **{f"{prefix}course__provider_id__in": _moderated_organizations(user).values("pk")}
    )
    community = Q(
        **{
            f"{prefix}community_id__in": Community.objects.filter(
                moderated_communities_q(user)
            ).values("pk")
        }
    )
    return course_trained | cohort_trained | organization | community


def moderates_anything(user: User) -> bool:
    """Whether `user` has a reports page: a trainer, an organization moderator or an admin."""
    if not user.is_authenticated:
        return False
    if is_platform_admin(user):
        return True
    return (
        CourseTrainer.objects.filter(user_id=user.pk).exists()
        or user.trained_cohorts.exists()
        or _moderated_organizations(user).exists()
        or user.moderated_communities.exists()
    )
