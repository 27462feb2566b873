"""Reads of discussions, each page's in a fixed number of queries whatever the number of
threads and posts (paged by the views)."""

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Length, Substr
from django.utils import timezone
from wagtail.models import Page

from cohorts.models import Cohort
from content.models import Organization, with_competency_names
from courses.models import CoursePage, LessonPage
from discussions.models import (
    Announcement,
    Community,
    CommunityEvent,
    CommunityResource,
    Membership,
    ParticipationClaim,
    Post,
    Report,
    Thread,
)
from discussions.permissions import PARTICIPATING_STATUSES, moderated_threads_q
from learners.models import CourseTrainer, Enrollment, User

#: Announcements shown on top of a cohort's discussion (the newest).
ANNOUNCEMENTS_SHOWN = 5


def threads_of(
    *,
    course: CoursePage | None = None,
    cohort: Cohort | None = None,
    community: Community | None = None,
    lesson: LessonPage | None = None,
) -> QuerySet[Thread]:
    """The course's own threads (without a cohort), the cohort's or the community's, most
    active first; with `lesson`, only the questions about it."""
    if community is not None:
        threads = Thread.objects.filter(community=community)
    else:
        threads = Thread.objects.filter(course=course)
        threads = (
            threads.filter(cohort=cohort) if cohort is not None else threads.filter(cohort=None)
        )
    if lesson is not None:
        threads = threads.filter(lesson=lesson)
    return threads.select_related("author", "lesson").only(
        "title",
        "created_at",
        "last_activity_at",
        "answer_count",
        "accepted_answer_id",
        "locked_at",
        "course_id",
        "cohort_id",
        "community_id",
        "author__full_name",
        "lesson__title",
    )


def thread_for_page(thread_id: int) -> Thread | None:
    """A thread with what its page and its access check read: course, cohort, community,
    lesson, asker."""
    return (
        Thread.objects.select_related("course", "cohort", "community", "lesson", "author")
        .filter(pk=thread_id)
        .first()
    )


def question_of(thread: Thread) -> Post:
    return Post.objects.select_related("author").get(thread=thread, is_question=True)


def answers_of(thread: Thread) -> QuerySet[Post]:
    """The thread's answers, the accepted one first, then oldest first."""
    return (
        Post.objects.filter(thread=thread, is_question=False)
        .select_related("author", "hidden_by")
        .annotate(
            accepted_first=Case(
                When(pk=thread.accepted_answer_id or 0, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("accepted_first", "created_at", "pk")
    )


def announcements_of(cohort: Cohort) -> list[Announcement]:
    return list(
        Announcement.objects.filter(cohort=cohort).select_related("author")[:ANNOUNCEMENTS_SHOWN]
    )


def lessons_of(course: CoursePage) -> QuerySet[LessonPage]:
    """The course's live lessons in their order, for "about which lesson", each with its
    parent's title (`module_title`, its module's) and tree path (`module_path`), so that the
    form groups them by module from this one query, however long the course."""
    step = LessonPage.steplen
    module_path = Substr("path", 1, Length("path") - step)
    return (
        LessonPage.objects.live()
        .descendant_of(course)
        .order_by("path")
        .only("title", "path")
        .annotate(
            module_path=module_path,
            module_title=Subquery(
                Page.objects.filter(
                    path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - step)
                ).values("title")[:1]
            ),
        )
    )


def lesson_of(course: CoursePage, *, lesson_id: int | None) -> LessonPage | None:
    """The live lesson `lesson_id` of `course`, or None when it is none of its lessons (another
    course's, a draft, not a lesson, or no id at all)."""
    if lesson_id is None:
        return None
    return lessons_of(course).filter(pk=lesson_id).first()


def open_reports_for(user: User) -> QuerySet[Report]:
    """Reports not settled yet on posts of the threads `user` moderates, newest first."""
    return (
        Report.objects.filter(resolved_at=None)
        .filter(moderated_threads_q(user, prefix="post__thread__"))
        .select_related(
            "reporter",
            "post__author",
            "post__thread__course",
            "post__thread__cohort",
            "post__thread__community",
        )
    )


def viewers_of(
    *,
    course: CoursePage | None = None,
    cohort: Cohort | None = None,
    community: Community | None = None,
) -> QuerySet[User]:
    """Everyone active who can see the discussion of `community`, of `cohort` or of `course`
    (see `discussions.permissions`): the only people a mention may name or a reply may notify."""
    if community is not None:
        organization_id = community.organization_id
        people = Q(
            pk__in=Membership.objects.filter(community_id=community.pk).values("user_id")
        ) | Q(
            pk__in=Community.moderators.through.objects.filter(community_id=community.pk).values(
                "user_id"
            )
        )
    else:
        organization_id = course.provider_id
        enrollments = Enrollment.objects.filter(
            course_id=course.pk, status__in=PARTICIPATING_STATUSES
        )
        if cohort is None:
            trainers = Q(
                pk__in=CourseTrainer.objects.filter(course_id=course.pk).values("user_id")
            ) | Q(
                pk__in=Cohort.trainers.through.objects.filter(cohort__course=course).values(
                    "user_id"
                )
            )
        else:
            enrollments = enrollments.filter(cohort_membership__cohort_id=cohort.pk)
            trainers = Q(
                pk__in=Cohort.trainers.through.objects.filter(cohort_id=cohort.pk).values("user_id")
            )
        people = Q(pk__in=enrollments.values("user_id")) | trainers
    moderators = User.groups.through.objects.filter(
        group_id__in=Organization.objects.filter(pk=organization_id or 0).values(
            "moderators_group_id"
        )
    )
    return User.objects.filter(
        people | Q(pk__in=moderators.values("user_id")) | Q(is_superuser=True), is_active=True
    )


def thread_viewers(thread: Thread) -> QuerySet[User]:
    """Everyone who can see `thread` (see `viewers_of`)."""
    return viewers_of(course=thread.course, cohort=thread.cohort, community=thread.community)


def communities_for(user: User) -> QuerySet[Community]:
    """The active communities, each with its number of members and whether `user` is one of
    them (the listing's two facts), and its competency under its name in the reader's
    language, in one query."""
    return (
        with_competency_names(Community.objects.filter(active=True).select_related("competency"))
        .annotate(
            member_count=Count("memberships", distinct=True),
            is_member=Exists(
                Membership.objects.filter(community=OuterRef("pk"), user_id=user.pk or 0)
            ),
        )
        # Meta.ordering does not reach a grouped query: the pages need a stable order.
        .order_by("name", "pk")
    )


def community_resources(community: Community, *, moderator: bool) -> QuerySet[CommunityResource]:
    """The community's resources, newest first; hidden ones only for its moderators."""
    resources = CommunityResource.objects.filter(community=community).select_related("author")
    return resources if moderator else resources.filter(hidden_at=None)


def upcoming_events(community: Community) -> QuerySet[CommunityEvent]:
    """The community's events not over yet, soonest first."""
    return CommunityEvent.objects.filter(community=community, ends_at__gt=timezone.now())


def members_of(community: Community) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(community=community)
        .select_related("user")
        .only("joined_at", "user__full_name")
    )


def claims_of(*, community: Community, member: User) -> QuerySet[ParticipationClaim]:
    """`member`'s claims of participation in `community`, with their records' statuses."""
    return ParticipationClaim.objects.filter(community=community, member=member).select_related(
        "record"
    )
