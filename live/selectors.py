"""Reading live sessions: a cohort's upcoming and past sessions, a person's calendar, and a
session's attendance list, each in a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet

from cohorts.models import Cohort, CohortMembership
from learners.models import User
from learners.nip import nip_mask
from live.models import Attendance, CalendarFeed, LiveSession
from live.permissions import MEMBER_STATUSES, calendar_cohorts_q

#: How far back a calendar feed reaches: calendar apps keep what they fetched before.
FEED_PAST_DAYS = 180
#: The most sessions one feed lists (the newest first): a bounded answer for any calendar.
FEED_LIMIT = 500


def sessions_upcoming(*, cohort: Cohort, now: datetime) -> QuerySet[LiveSession]:
    """Sessions not yet over, the soonest first (cancelled ones included, marked so)."""
    return LiveSession.objects.filter(cohort=cohort, ends_at__gt=now).order_by("starts_at", "pk")


def sessions_past(*, cohort: Cohort, now: datetime) -> QuerySet[LiveSession]:
    """Sessions over, the latest first."""
    return LiveSession.objects.filter(cohort=cohort, ends_at__lte=now).order_by("-starts_at", "-pk")


def attended_session_ids(*, user: User, sessions: list[LiveSession]) -> dict[int, bool]:
    """`user`'s recorded attendance on `sessions`: session id -> present. One query."""
    return dict(
        Attendance.objects.filter(
            session__in=[session.pk for session in sessions], membership__enrollment__user=user
        ).values_list("session_id", "present")
    )


def feed_sessions(*, user: User, now: datetime) -> list[LiveSession]:
    """The sessions of `user`'s calendar feed (see `permissions.calendar_cohorts_q`): those
    ending in the last `FEED_PAST_DAYS` days and every later one, at most `FEED_LIMIT`, with
    their cohort. One query."""
    sessions = (
        LiveSession.objects.filter(calendar_cohorts_q(user))
        .filter(ends_at__gte=now - timedelta(days=FEED_PAST_DAYS))
        .select_related("cohort")
        .order_by("-starts_at", "-pk")[:FEED_LIMIT]
    )
    return list(sessions)


def feed_owner(token: str) -> User | None:
    """The active person whose calendar address has `token`, or None. One query."""
    feed = (
        CalendarFeed.objects.filter(token=token, user__is_active=True)
        .select_related("user")
        .first()
    )
    return feed.user if feed else None


@dataclass
class AttendanceRow:
    """One member on a session's attendance list, and what was recorded for them."""

    membership: CohortMembership
    attendance: Attendance | None

    @property
    def field_name(self) -> str:
        return f"m{self.membership.pk}"

    @property
    def learner(self) -> User:
        return self.membership.enrollment.user

    @property
    def nip_masked(self) -> str:
        """The NIP with its middle hidden, as on the cohort's page (tells namesakes apart)."""
        return nip_mask(self.learner.nip)


def attendance_sheet(session: LiveSession) -> list[AttendanceRow]:
    """The cohort's members on the session's list, by name, with their recorded attendance:
    two queries whatever the number of members."""
    memberships = (
        CohortMembership.objects.filter(
            cohort_id=session.cohort_id, enrollment__status__in=MEMBER_STATUSES
        )
        .select_related("enrollment__user")
        .order_by("enrollment__user__full_name", "pk")
    )
    recorded = {
        attendance.membership_id: attendance
        for attendance in Attendance.objects.filter(session=session)
    }
    return [
        AttendanceRow(membership=membership, attendance=recorded.get(membership.pk))
        for membership in memberships
    ]
