"""The direct supervisor (atasan langsung) link: named by the learner, confirmed by the supervisor
and, where the organization asks for it (`Organization.supervisor_links_need_hr`), by HR.

Typing an e-mail address proves nothing: someone could name their own second account and then
endorse their own learning needs and rate their own change at work. So the link counts only
once `supervisor_confirmed_at` is set; until then it grants nothing (no endorsement, no
follow-up e-mail) and reveals nothing (the profile shows the name the learner typed, never the
account holder's). Endorsing needs and the follow-up e-mails use `confirmed_supervisor_q`.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import Action, audit_record
from learners.errors import EnrollmentConflict, LearningError
from learners.models import User
from learners.permissions import (
    confirmed_supervisor_q,
    is_organization_admin,
    organizations_administered,
)

#: The fields this module changes on a user.
SUPERVISOR_LINK_FIELDS = [
    "supervisor",
    "supervisor_name",
    "supervisor_email",
    "supervisor_accepted_at",
    "supervisor_confirmed_at",
]


class SupervisorLinkRefused(LearningError):
    status = 403


def has_confirmed_supervisor(learner: User, supervisor: User) -> bool:
    """Whether `supervisor` is `learner`'s confirmed direct supervisor (no query)."""
    return (
        supervisor.pk is not None
        and learner.supervisor_id == supervisor.pk
        and learner.supervisor_confirmed_at is not None
        and learner.pk != supervisor.pk
    )


def team_members(user: User) -> QuerySet[User]:
    """The active people whose confirmed direct supervisor `user` is (their "team")."""
    if not user.is_authenticated:
        return User.objects.none()
    return User.objects.filter(confirmed_supervisor_q(), supervisor=user, is_active=True).exclude(
        pk=user.pk
    )


#: A supervisor chain longer than this is refused as if it looped (no organization is this deep).
MAX_CHAIN_LENGTH = 100


def supervisor_chain_loops(
    person_id: int | None, supervisor_id: int | None, *, links: dict[int, int | None] | None = None
) -> bool:
    """Whether naming `supervisor_id` as the supervisor of `person_id` closes a loop: the person
    themself, or a chain of supervisors (named, confirmed or not) that leads back to them.

    `links` ({person: supervisor}) overrides the stored links (an import's new rows); a person
    missing from it is read from the database, one query per step up the chain.
    """
    if person_id is None or supervisor_id is None:
        return False
    links = links or {}
    seen: set[int] = set()
    current: int | None = supervisor_id
    while current is not None:
        if current == person_id:
            return True
        if current in seen or len(seen) >= MAX_CHAIN_LENGTH:
            return True
        seen.add(current)
        if current in links:
            current = links[current]
        else:
            current = (
                User.objects.filter(pk=current).values_list("supervisor_id", flat=True).first()
            )
    return False


def supervisor_loop_error() -> ValidationError:
    return ValidationError(
        _(
            "This person already reports to you, directly or through their own supervisors: "
            "the supervisor chain would loop."
        ),
        code="supervisor_loop",
    )


def supervisor_link_request(user: User, *, supervisor: User | None, name: str, email: str) -> None:
    """Name `user`'s supervisor (not saved). A new or changed supervisor must confirm again; the
    name typed is kept, so the profile never shows the name of an address's account holder.

    A supervisor whose chain of supervisors leads back to `user` is refused (ValidationError):
    the chain would loop."""
    if supervisor is not None and supervisor.pk == user.pk:
        supervisor = None
    if supervisor is not None and supervisor.pk != user.supervisor_id:
        if user.pk is not None and transaction.get_connection().in_atomic_block:
            # Two people naming each other at once: the second waits for the first's link to be
            # saved (the caller's transaction), then sees it on the chain.
            list(
                User.objects.select_for_update()
                .filter(pk__in=[user.pk, supervisor.pk])
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        if supervisor_chain_loops(user.pk, supervisor.pk):
            raise supervisor_loop_error()
    if (supervisor.pk if supervisor else None) != user.supervisor_id:
        user.supervisor_accepted_at = None
        user.supervisor_confirmed_at = None
        if supervisor is not None:
            # Once the user is saved (the caller's transaction), the supervisor is asked.
            from learners.tasks import supervisor_link_requested_notify

            transaction.on_commit(
                lambda: supervisor_link_requested_notify.enqueue(learner_id=user.pk)
            )
    user.supervisor = supervisor
    user.supervisor_name = name
    # The address is the linked account's own once there is one.
    user.supervisor_email = "" if supervisor else email


def supervisor_requests_for(user: User) -> QuerySet[User]:
    """People who named `user` as their supervisor and wait for their answer."""
    if not user.is_authenticated:
        return User.objects.none()
    return (
        User.objects.filter(supervisor=user, supervisor_accepted_at__isnull=True, is_active=True)
        .exclude(pk=user.pk)
        .select_related("organization", "work_unit")
        .order_by("full_name", "pk")
    )


def supervisor_links_to_confirm(user: User) -> QuerySet[User]:
    """Links accepted by the supervisor that `user`, as HR of an organization asking for it,
    confirms; never a link of their own or to themselves."""
    if not user.is_authenticated:
        return User.objects.none()
    return (
        User.objects.filter(
            organization__in=organizations_administered(user),
            organization__supervisor_links_need_hr=True,
            supervisor__isnull=False,
            supervisor_accepted_at__isnull=False,
            supervisor_confirmed_at__isnull=True,
            is_active=True,
        )
        .exclude(pk=user.pk)
        .exclude(supervisor=user)
        .select_related("organization", "work_unit", "supervisor")
        .order_by("full_name", "pk")
    )


def _link_clear(learner: User) -> None:
    learner.supervisor = None
    learner.supervisor_name = ""
    learner.supervisor_email = ""
    learner.supervisor_accepted_at = None
    learner.supervisor_confirmed_at = None


@transaction.atomic
def supervisor_link_decide(*, learner: User, decided_by: User, accept: bool) -> User:
    """The named supervisor accepts or declines being `learner`'s supervisor; then, where the
    learner's organization asks for it, one of its admins confirms or declines the link.

    A declined link is removed: the learner names their supervisor again. Nobody decides a link
    of their own, and HR never confirms a link to themselves. HR's decisions are audited.
    """
    learner = User.objects.select_for_update().get(pk=learner.pk)
    if learner.supervisor_id is None or learner.supervisor_confirmed_at is not None:
        raise EnrollmentConflict(
            _("This supervisor link has already been decided."), code="already_decided"
        )
    if decided_by.pk == learner.pk:
        raise SupervisorLinkRefused(
            _("You cannot confirm your own supervisor link."), code="own_link"
        )
    now = timezone.now()
    if learner.supervisor_accepted_at is None:
        if decided_by.pk != learner.supervisor_id:
            raise SupervisorLinkRefused(
                _("Only the person named as supervisor may answer."), code="not_supervisor"
            )
        if not accept:
            _link_clear(learner)
        else:
            learner.supervisor_accepted_at = now
            needs_hr = (
                learner.organization is not None and learner.organization.supervisor_links_need_hr
            )
            if not needs_hr:
                learner.supervisor_confirmed_at = now
    else:
        if decided_by.pk == learner.supervisor_id or not is_organization_admin(
            decided_by, learner.organization_id
        ):
            raise SupervisorLinkRefused(
                _("Only an admin of the learner's organization may confirm this link."),
                code="not_hr",
            )
        audit_record(
            decided_by,
            Action.SUPERVISOR_LINK_DECIDED,
            organization=learner.organization_id,
            subject=learner,
            detail={"approved": accept, "supervisor_id": learner.supervisor_id},
        )
        if accept:
            learner.supervisor_confirmed_at = now
        else:
            _link_clear(learner)
    learner.save(update_fields=SUPERVISOR_LINK_FIELDS)
    return learner
