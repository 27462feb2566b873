"""Who sees a person's competency profile and development plans, and who agrees a plan.

The person themself, their confirmed direct supervisor (atasan langsung) and the HR admins of
the organization they are a confirmed member of see them; only the confirmed supervisor agrees or
returns a plan (the supervisor is who the plan is agreed with, PP 17/2020 art. 203). Anyone else
gets a 404.
"""

from learners.models import User
from learners.permissions import administers_member
from learners.supervisors import has_confirmed_supervisor


def can_view_person(viewer: User, person: User) -> bool:
    """Whether `viewer` may see `person`'s profile and plans (at most one query)."""
    if not viewer.is_authenticated or not viewer.is_active:
        return False
    return (
        viewer.pk == person.pk
        or has_confirmed_supervisor(person, viewer)
        or administers_member(viewer, person)
    )


def can_decide_plan(viewer: User, person: User) -> bool:
    """Whether `viewer` agrees or returns `person`'s plans: their confirmed direct supervisor,
    never the person themself (no query)."""
    return (
        viewer.is_authenticated
        and viewer.is_active
        and viewer.pk != person.pk
        and has_confirmed_supervisor(person, viewer)
    )
