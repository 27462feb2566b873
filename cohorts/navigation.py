"""The header's staff links of a signed-in person (trainer's cohorts, HR compliance, the admin's
userbar), cached per person: base.html asks on every page a signed-in person opens, and the
query was a tenth of a lesson page's time.

The roles are cached under two random tokens, one per person and one for everybody, both part
of the key, so that a change never leaves an old answer in use (a request that read the roles
before the change committed stores them under the old token, which nobody reads any more):

- the person's token changes when they are made or stop being a trainer of a cohort or of a
  course, or an organization role of theirs is created or deleted;
- everybody's token changes when an organization role or a course trainer is edited (it may
  have moved to another person), or when groups or permissions change (a group's permission
  reaches all its members; these are rare administrator actions).

Tokens change immediately and once the transaction commits. Writes that send no signal
(queryset updates, bulk inserts of the demo data generator) show within
`ROLES_CACHE_SECONDS` at most.
"""

import uuid
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from cohorts.models import Cohort
from learners.models import CourseTrainer, OrganizationRole, User
from learners.permissions import is_platform_admin

#: The longest cached roles are reused whatever happened (changes no signal tells of).
ROLES_CACHE_SECONDS = 10 * 60
#: A token outlives the roles cached under it, but not forever (one per person signed in within
#: the hour, not one per account ever seen): a token that expires is replaced by a new random
#: one, under which nothing is cached yet.
TOKEN_SECONDS = 60 * 60

#: Part of every key: cached values of another shape (before a change of this module) are
#: never read back.
_FORMAT = "v1"
_EVERYONE_KEY = f"navigation-roles:{_FORMAT}:token"


@dataclass(frozen=True)
class NavigationRoles:
    trainer: bool
    organization_admin: bool
    # May open Wagtail's admin (`wagtailadmin.access_admin`): base.html renders the userbar
    # only then, so that a learner's page does not load every permission they have (two
    # queries) to find that they have none of the admin's.
    admin: bool = False


NO_ROLES = NavigationRoles(False, False)


def _person_key(user_id: int) -> str:
    return f"navigation-roles:{_FORMAT}:token:{user_id}"


def _query(user: User) -> tuple[bool, bool, bool]:
    access_admin = Permission.objects.filter(
        codename="access_admin", content_type__app_label="wagtailadmin"
    )
    return (
        User.objects.filter(pk=user.pk)
        .annotate(
            trainer=Exists(Cohort.trainers.through.objects.filter(user_id=OuterRef("pk")))
            | Exists(CourseTrainer.objects.filter(user_id=OuterRef("pk"))),
            organization_admin=Exists(
                OrganizationRole.objects.filter(
                    user_id=OuterRef("pk"), role=OrganizationRole.Role.ADMIN
                )
            ),
            # Django's ModelBackend rule: the permission given to the person or to a group.
            admin=Exists(access_admin.filter(user=OuterRef("pk")))
            | Exists(access_admin.filter(group__user=OuterRef("pk"))),
        )
        .values_list("trainer", "organization_admin", "admin")
        .get()
    )


def roles_for(user) -> NavigationRoles:
    """The person's staff roles for the header: from the cache (one round trip for the tokens,
    one for the roles), else one query."""
    if user is None or not user.is_authenticated:
        return NO_ROLES
    if is_platform_admin(user):
        return NavigationRoles(True, True, True)
    token_keys = [_EVERYONE_KEY, _person_key(user.pk)]
    tokens = cache.get_many(token_keys)
    for key in token_keys:
        if key not in tokens:
            # add: a token another request set meanwhile (or a change) is kept.
            cache.add(key, uuid.uuid4().hex, TOKEN_SECONDS)
            tokens[key] = cache.get(key)
    key = f"navigation-roles:{_FORMAT}:{user.pk}:{tokens[_EVERYONE_KEY]}:{tokens[token_keys[1]]}"
    flags = cache.get(key)
    if not (isinstance(flags, tuple) and len(flags) == 3):
        flags = tuple(bool(flag) for flag in _query(user))
        cache.set(key, flags, ROLES_CACHE_SECONDS)
    return NavigationRoles(*flags)


def _renew(keys: set[str]) -> None:
    def renew():
        cache.set_many({key: uuid.uuid4().hex for key in keys}, TOKEN_SECONDS)

    if keys:
        renew()
        transaction.on_commit(renew)


def roles_changed(*user_ids: int | None) -> None:
    """These people's roles changed: their header asks the database again."""
    _renew({_person_key(pk) for pk in user_ids if pk})


def everyones_roles_changed() -> None:
    _renew({_EVERYONE_KEY})


# Signals -----------------------------------------------------------------------------------


def _role_saved(sender, instance, created, raw=False, **kwargs):
    if created:
        roles_changed(instance.user_id)
    else:
        # The row may have moved from another person, whom the instance no longer names.
        everyones_roles_changed()


def _role_deleted(sender, instance, **kwargs):
    roles_changed(instance.user_id)


def _cohort_trainers_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if reverse:  # user.cohorts_trained...: the instance is the person
        roles_changed(instance.pk)
    elif action == "pre_clear":
        roles_changed(*instance.trainers.values_list("pk", flat=True))
    else:
        roles_changed(*(pk_set or ()))


def _cohort_deleted(sender, instance, **kwargs):
    roles_changed(*instance.trainers.values_list("pk", flat=True))


def _permissions_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        everyones_roles_changed()


def _permissions_deleted(sender, **kwargs):
    everyones_roles_changed()


def connect() -> None:
    for model in (OrganizationRole, CourseTrainer):
        uid = f"navigation_roles_{model._meta.label_lower}"
        post_save.connect(_role_saved, sender=model, dispatch_uid=f"{uid}_saved")
        post_delete.connect(_role_deleted, sender=model, dispatch_uid=f"{uid}_deleted")
    trainers = Cohort.trainers.through
    m2m_changed.connect(
        _cohort_trainers_changed, sender=trainers, dispatch_uid="navigation_roles_cohort_trainers"
    )
    # A cohort deleted takes its trainers' rows with it (no signal for them).
    pre_delete.connect(_cohort_deleted, sender=Cohort, dispatch_uid="navigation_roles_cohort")
    for through in (
        User.groups.through,
        User.user_permissions.through,
        Group.permissions.through,
    ):
        uid = f"navigation_roles_{through._meta.label_lower}"
        m2m_changed.connect(_permissions_changed, sender=through, dispatch_uid=uid)
    for model in (Group, Permission):
        uid = f"navigation_roles_{model._meta.label_lower}_deleted"
        pre_delete.connect(_permissions_deleted, sender=model, dispatch_uid=uid)
