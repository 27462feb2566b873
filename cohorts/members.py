"""Who is in a cohort: seats and capacity, adding learners (one or thousands at once), requests
to join, and invitations that keep a seat for people without an account yet.

Seats are counted under a lock on the cohort's row, so two trainers (or a trainer and a learner
asking to join) can never overfill it. What an invitation's link does once followed is in
`cohorts.invitations`.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import Action, audit_record
from cohorts.models import Cohort, CohortInvitation, CohortMembership
from cohorts.services import cohort_locked, cohort_trainer_require
from learners.errors import EnrollmentConflict, EnrollmentRefused
from learners.membership import verified_emails
from learners.models import Enrollment, LearningRecord, LessonCompletion, MembershipStatus, User
from learners.progress import recount_progress
from learners.selectors import course_required_lesson_count
from learners.services import enrollment_create

#: Enrollments that hold a seat in their cohort.
SEAT_STATUSES = (
    Enrollment.Status.PENDING,
    Enrollment.Status.ACTIVE,
    Enrollment.Status.COMPLETED,
    Enrollment.Status.EXPIRED,
)


def seats_taken(cohort: Cohort) -> int:
    """Members holding a seat plus invitations not yet taken (an expired one frees its seat)."""
    members = CohortMembership.objects.filter(
        cohort=cohort, enrollment__status__in=SEAT_STATUSES
    ).count()
    return members + invitations_pending(cohort).count()


def invitations_pending(cohort: Cohort) -> QuerySet[CohortInvitation]:
    """Invitations still waiting for their person, not expired."""
    return CohortInvitation.objects.filter(
        cohort=cohort, accepted_at=None, expires_at__gt=timezone.now()
    )


def capacity_check(cohort: Cohort, adding: int) -> None:
    if cohort.capacity is None or adding <= 0:
        return
    free = cohort.capacity - seats_taken(cohort)
    if adding > free:
        raise EnrollmentRefused(
            _(
                "This cohort has room for %(free)s more learner(s) (capacity %(capacity)s); "
                "%(adding)s cannot all join."
            )
            % {"free": max(free, 0), "capacity": cohort.capacity, "adding": adding},
            code="cohort_full",
        )


@dataclass
class MembersAdded:
    """What adding learners to a cohort did."""

    enrolled: list[int] = field(default_factory=list)  # new enrollments (user ids)
    joined: list[int] = field(default_factory=list)  # existing enrollments now in the cohort
    skipped: dict[int, str] = field(default_factory=dict)  # user id -> reason code

    @property
    def added(self) -> int:
        return len(self.enrolled) + len(self.joined)


def members_state(cohort: Cohort, user_ids: Iterable[int]) -> dict[int, tuple[str, Enrollment]]:
    """For each user already enrolled in the cohort's course, why they can or cannot be added.

    Codes: "member" (already in this cohort), "other_cohort" (open enrollment in another cohort
    of the course), "completed" (finished the course, not due for recertification), "open"
    (an open enrollment outside any cohort: it joins the cohort with its progress).
    Users absent from the result have no enrollment in the way. Two queries.
    """
    user_ids = list(user_ids)
    state: dict[int, tuple[str, Enrollment]] = {}
    today = timezone.localdate()
    enrollments = (
        Enrollment.objects.filter(course_id=cohort.course_id, user_id__in=user_ids)
        .filter(
            Q(status__in=Enrollment.OPEN_STATUSES)
            | Q(status=Enrollment.Status.COMPLETED)
            & (
                Q(certificate__isnull=True)
                | Q(certificate__valid_until__isnull=True)
                | Q(certificate__valid_until__gte=today)
            )
        )
        .select_related("cohort_membership")
        .order_by("created_at")
    )
    for enrollment in enrollments:
        membership = getattr(enrollment, "cohort_membership", None)
        if membership is not None and membership.cohort_id == cohort.pk:
            code = "member"
        elif enrollment.is_open:
            code = "other_cohort" if membership is not None else "open"
        else:
            code = "completed"
        previous = state.get(enrollment.user_id)
        # An open enrollment or a membership of this cohort says more than an old completion.
        if previous is None or previous[0] == "completed":
            state[enrollment.user_id] = (code, enrollment)
    return state


@transaction.atomic
def cohort_members_add(
    *,
    cohort: Cohort,
    users: Iterable[User],
    added_by: User | None,
    via: str = CohortMembership.Via.TRAINER,
) -> MembersAdded:
    """Enroll many people in a cohort at once, all or nothing, in a fixed number of queries.

    People already in the cohort, in another cohort of the course, or who completed the course
    are skipped with a reason. A pending request to the course is approved by the act of adding.
    A capacity that cannot take everyone refuses the whole batch.
    """
    cohort = cohort_locked(cohort)
    users = {user.pk: user for user in users}
    result = MembersAdded()
    state = members_state(cohort, users)
    to_join: list[Enrollment] = []
    for user_id, (code, enrollment) in state.items():
        if (
            code == "open"
            and enrollment.status == Enrollment.Status.PENDING
            and added_by is not None
            and user_id == added_by.pk
        ):
            # Adding someone answers their request to join: never one's own request.
            result.skipped[user_id] = "own_request"
        elif code == "open":
            to_join.append(enrollment)
        else:
            result.skipped[user_id] = code
    new_user_ids = [pk for pk in users if pk not in state]
    capacity_check(cohort, len(new_user_ids) + len(to_join))
    if not cohort.course.live:
        raise EnrollmentRefused(_("This course is not open for enrollment."), code="not_live")

    now = timezone.now()
    required_total = course_required_lesson_count(cohort.course)
    new_enrollments = Enrollment.objects.bulk_create(
        Enrollment(
            user_id=user_id,
            course_id=cohort.course_id,
            status=Enrollment.Status.ACTIVE,
            started_at=now,
            required_total=required_total,
        )
        for user_id in new_user_ids
    )
    _carry_over_progress(cohort.course_id, new_enrollments)
    pending = [e for e in to_join if e.status == Enrollment.Status.PENDING]
    if pending:
        # Being added by a trainer answers a request to join.
        Enrollment.objects.filter(pk__in=[e.pk for e in pending]).update(
            status=Enrollment.Status.ACTIVE, started_at=now, decided_by=added_by
        )
    CohortMembership.objects.bulk_create(
        CohortMembership(cohort=cohort, enrollment=enrollment, via=via, added_by=added_by)
        for enrollment in [*new_enrollments, *to_join]
    )
    LearningRecord.objects.bulk_create(
        LearningRecord(
            actor=added_by,
            learner_id=enrollment.user_id,
            verb=(
                LearningRecord.Verb.ENROLLMENT_APPROVED
                if enrollment in pending
                else LearningRecord.Verb.ENROLLED
            ),
            object_type=cohort.course._meta.label_lower,
            object_id=str(cohort.course_id),
            object_label=cohort.course.title[:255],
            result={"enrollment_id": enrollment.pk, "cohort_id": cohort.pk, "via": via},
        )
        for enrollment in [*new_enrollments, *pending]
    )
    result.enrolled = [e.user_id for e in new_enrollments]
    result.joined = [e.user_id for e in to_join]
    return result


def _carry_over_progress(course_id: int, enrollments: list[Enrollment]) -> None:
    """People who left the course before resume where they were (see learners.services)."""
    if not enrollments:
        return
    by_user = {enrollment.user_id: enrollment for enrollment in enrollments}
    latest_withdrawn: dict[int, int] = {}
    for enrollment_id, user_id in (
        Enrollment.objects.filter(
            course_id=course_id, user_id__in=by_user, status=Enrollment.Status.WITHDRAWN
        )
        .order_by("created_at")
        .values_list("pk", "user_id")
    ):
        latest_withdrawn[user_id] = enrollment_id
    if not latest_withdrawn:
        return
    user_of = {enrollment_id: user_id for user_id, enrollment_id in latest_withdrawn.items()}
    LessonCompletion.objects.bulk_create(
        LessonCompletion(
            enrollment=by_user[user_of[enrollment_id]],
            lesson_id=lesson_id,
            completed_at=completed_at,
            source=source,
        )
        for enrollment_id, lesson_id, completed_at, source in LessonCompletion.objects.filter(
            enrollment_id__in=user_of
        ).values_list("enrollment_id", "lesson_id", "completed_at", "source")
    )
    recount_progress(
        Enrollment.objects.filter(pk__in=[by_user[user_id].pk for user_id in latest_withdrawn])
    )


@transaction.atomic
def cohort_member_add(*, cohort: Cohort, user: User, added_by: User) -> CohortMembership:
    """Add one person, as one of the cohort's trainers; explains why when they cannot join.
    Recorded on the audit log of the person's organization."""
    cohort_trainer_require(cohort, added_by)
    result = cohort_members_add(cohort=cohort, users=[user], added_by=added_by)
    reason = result.skipped.get(user.pk)
    if reason:
        raise EnrollmentConflict(skip_reason_text(reason), code=reason)
    audit_record(
        added_by,
        Action.ENROLLMENT_CHANGED,
        organization=user.organization_id,
        subject=user,
        target=cohort.name,
        detail={"change": "added_to_cohort", "cohort_id": cohort.pk},
    )
    return CohortMembership.objects.get(
        cohort=cohort, enrollment__user=user, enrollment__status=Enrollment.Status.ACTIVE
    )


@transaction.atomic
def cohort_invite(*, cohort: Cohort, nip: str, email: str, invited_by: User) -> int:
    """Keep a seat for one person without an account, as one of the cohort's trainers, and
    e-mail them the link (when there is an address); recorded on the course provider's audit
    log (the person has no organization yet)."""
    cohort_trainer_require(cohort, invited_by)
    created = invitations_create(cohort=cohort, people=[(nip, email)], created_by=invited_by)
    audit_record(
        invited_by,
        Action.ENROLLMENT_CHANGED,
        organization=cohort.course.provider_id,
        target=cohort.name,
        detail={"change": "invited_to_cohort", "cohort_id": cohort.pk},
    )
    return created


def skip_reason_text(code: str) -> str:
    return {
        "member": _("Already in this cohort."),
        "other_cohort": _("Already in another cohort of this course."),
        "completed": _("Has already completed this course."),
        "own_request": _("You cannot approve your own request to join."),
    }[code]


def cohort_is_open_for_requests(cohort: Cohort, *, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    deadline = cohort.enrollment_deadline or cohort.ends_on
    return today <= deadline and today <= cohort.ends_on


@transaction.atomic
def cohort_join_request(*, cohort: Cohort, user: User) -> Enrollment:
    """A learner asks to join a cohort; cohort-only and approval courses make it a request for
    the trainers, open courses enroll at once."""
    cohort = cohort_locked(cohort)
    if not cohort_is_open_for_requests(cohort):
        raise EnrollmentRefused(
            _("The enrollment deadline of this cohort has passed."), code="deadline_passed"
        )
    code, _enrollment = members_state(cohort, [user.pk]).get(user.pk, (None, None))
    if code in ("member", "other_cohort", "completed"):
        raise EnrollmentConflict(skip_reason_text(code), code=code)
    capacity_check(cohort, 1)
    enrollment, _created = enrollment_create(user=user, course=cohort.course, cohort_request=True)
    if enrollment.is_open:
        CohortMembership.objects.create(
            cohort=cohort, enrollment=enrollment, via=CohortMembership.Via.REQUEST, added_by=user
        )
    return enrollment


@transaction.atomic
def invitations_create(
    *, cohort: Cohort, people: Iterable[tuple[str, str]], created_by: User
) -> int:
    """Keep seats for (nip, email) pairs with no account yet and e-mail each address its link
    (`cohorts.tasks.invitations_deliver`, once the transaction commits).

    Pending invitations are kept (and their link sent if it never was); expired ones of the same
    people are replaced by new ones.
    """
    people = [(nip, email.lower()) for nip, email in people]
    capacity_check(cohort_locked(cohort), len(people))
    nips = {nip for nip, _email in people if nip}
    emails = {email for _nip, email in people if email}
    same_people = Q(nip__in=nips) | Q(email__in=emails)
    CohortInvitation.objects.filter(
        same_people, cohort=cohort, accepted_at=None, expires_at__lte=timezone.now()
    ).delete()
    created = CohortInvitation.objects.bulk_create(
        [
            CohortInvitation(cohort=cohort, nip=nip, email=email, created_by=created_by)
            for nip, email in people
        ],
        ignore_conflicts=True,
    )
    # (ignore_conflicts leaves the new rows without ids: read them back.)
    invitations_email(
        invitations_pending(cohort).filter(email__in=emails, sent_at=None), sent_by=created_by
    )
    return len(created)


def invitations_email(invitations: QuerySet[CohortInvitation], *, sent_by: User) -> int:
    """Queue the e-mail of these invitations' links, sent on behalf of `sent_by` (their
    Reply-To), for when the transaction commits; invitations by NIP alone have no address."""
    invitation_ids = list(invitations.exclude(email="").values_list("pk", flat=True))
    if not invitation_ids:
        return 0
    CohortInvitation.objects.filter(pk__in=invitation_ids).update(sent_by=sent_by)
    since = timezone.now().isoformat()
    from cohorts.tasks import invitations_deliver

    transaction.on_commit(
        lambda: invitations_deliver.enqueue(invitation_ids=invitation_ids, since=since)
    )
    return len(invitation_ids)


def invitations_accept(*, user: User) -> int:
    """Enroll a person in the cohorts that invited them, once they have proven who they are.

    Typing an e-mail address or a NIP proves nothing, so a seat is never taken at sign-up:
    - an invitation with an e-mail address attaches when the person has verified that address
      (whatever NIP they typed);
    - an invitation by NIP alone attaches when the person holds that NIP, has verified an
      e-mail address, and their organization has confirmed their membership (the admin, a
      staff list, the agency's sign-on or a verified staff e-mail domain vouches for them).
    Called on `learners.membership.identity_verified`: an address verified, a membership
    confirmed, a NIP given to them.
    """
    emails = verified_emails(user)
    if not emails:
        return 0
    match = Q(email__in=emails)
    if user.nip and user.membership_status == MembershipStatus.CONFIRMED:
        match |= Q(email="", nip=user.nip)
    invitations = list(
        CohortInvitation.objects.filter(
            match, accepted_at=None, expires_at__gt=timezone.now()
        ).select_related("cohort")
    )
    accepted = 0
    for invitation in invitations:
        with transaction.atomic():
            # The invitation's seat becomes the member's seat.
            CohortInvitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
            try:
                result = cohort_members_add(
                    cohort=invitation.cohort,
                    users=[user],
                    added_by=invitation.created_by,
                    via=CohortMembership.Via.INVITATION,
                )
            except EnrollmentRefused:
                continue  # the course was unpublished since: the invitation lapses
            if result.added:
                membership = CohortMembership.objects.get(
                    cohort=invitation.cohort, enrollment__user=user
                )
                CohortInvitation.objects.filter(pk=invitation.pk).update(membership=membership)
                accepted += 1
    return accepted
