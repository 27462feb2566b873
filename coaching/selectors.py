"""Reading coaching agreements and sessions, always from one party's point of view, in a fixed
number of queries whatever the number of sessions."""

from django.db.models import Count, Prefetch, Q, QuerySet

from coaching.models import CoachingAgreement, CoachingSession
from coaching.permissions import party_q
from learners.models import User


def agreements_of(user: User) -> QuerySet[CoachingAgreement]:
    """`user`'s agreements as coachee or coach, with both people and their session counts."""
    return (
        CoachingAgreement.objects.filter(party_q(user))
        .select_related("coachee", "coach")
        .annotate(
            session_count=Count("sessions", distinct=True),
            confirmed_count=Count(
                "sessions",
                filter=Q(
                    sessions__confirmed_by_coachee_at__isnull=False,
                    sessions__confirmed_by_coach_at__isnull=False,
                ),
                distinct=True,
            ),
        )
        .order_by("status", "-start_date", "-pk")
    )


def agreement_for(user: User, pk: int) -> CoachingAgreement | None:
    """One of `user`'s agreements with its sessions and the records they became (two
    queries), or None when `user` is not a party to it."""
    sessions = CoachingSession.objects.select_related("record").order_by("-date", "-pk")
    return (
        CoachingAgreement.objects.filter(party_q(user), pk=pk)
        .select_related("coachee", "coach")
        .prefetch_related(Prefetch("sessions", queryset=sessions))
        .first()
    )


def sessions_to_confirm(user: User) -> QuerySet[CoachingSession]:
    """Sessions the other party logged that wait for `user`'s confirmation."""
    return CoachingSession.objects.filter(
        Q(agreement__coachee=user, confirmed_by_coachee_at__isnull=True)
        | Q(agreement__coach=user, confirmed_by_coach_at__isnull=True)
    )
