"""Who sees a coaching agreement and its sessions: its two parties, nobody else (not HR, not a
platform administrator: the notes are a conversation between two people)."""

from django.db.models import Q

from learners.models import User


def party_q(user: User, prefix: str = "") -> Q:
    """Agreements (or, with `prefix` such as "agreement__", sessions) `user` is a party to."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    return Q(**{f"{prefix}coachee": user}) | Q(**{f"{prefix}coach": user})
