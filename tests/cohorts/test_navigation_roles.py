"""The header's staff links are cached per person (`cohorts.navigation`): a second page costs no
roles query, and a person who gains or loses a role sees the header change on their next page,
however the role changed (trainer of a course or of a cohort, HR admin, a group with the
admin's access)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts.factories import CohortFactory
from learners.factories import CourseTrainerFactory, OrganizationRoleFactory, UserFactory
from learners.models import CourseTrainer, OrganizationRole

pytestmark = pytest.mark.django_db

ROLES_QUERY = 'AS "organization_admin"'


def _header(client) -> str:
    return client.get(reverse("learners:my_learning")).content.decode()


def _shows_cohorts(client) -> bool:
    return reverse("cohorts:dashboard") in _header(client)


def _shows_compliance(client) -> bool:
    return reverse("compliance:index") in _header(client)


def test_the_roles_are_read_once_and_then_from_the_cache(client_for, course_a):
    person = UserFactory(trainer_of=course_a)
    client = client_for(person)
    assert _shows_cohorts(client)
    with CaptureQueriesContext(connection) as queries:
        assert _shows_cohorts(client)
    assert not [q for q in queries if ROLES_QUERY in q["sql"]]


def test_a_course_trainer_removed_loses_my_cohorts_on_the_next_page(client_for, course_a):
    person = UserFactory()
    client = client_for(person)
    assert not _shows_cohorts(client)
    CourseTrainerFactory(user=person, course=course_a)
    assert _shows_cohorts(client)
    CourseTrainer.objects.filter(user=person).delete()
    assert not _shows_cohorts(client)


def test_a_cohort_trainer_removed_or_cohort_deleted_loses_my_cohorts(client_for, course_a):
    creator, co_trainer = UserFactory(), UserFactory()
    cohort = CohortFactory(course=course_a, created_by=creator)
    clients = {person: client_for(person) for person in (creator, co_trainer)}
    assert _shows_cohorts(clients[creator])
    assert not _shows_cohorts(clients[co_trainer])

    cohort.trainers.add(co_trainer)
    assert _shows_cohorts(clients[co_trainer])
    cohort.trainers.remove(co_trainer)
    assert not _shows_cohorts(clients[co_trainer])

    co_trainer.trained_cohorts.add(cohort)  # from the person's side
    assert _shows_cohorts(clients[co_trainer])
    co_trainer.trained_cohorts.remove(cohort)
    assert not _shows_cohorts(clients[co_trainer])

    cohort.trainers.add(co_trainer)
    assert _shows_cohorts(clients[co_trainer])
    cohort.trainers.clear()
    assert not _shows_cohorts(clients[co_trainer])
    assert not _shows_cohorts(clients[creator])

    cohort.trainers.add(creator)
    assert _shows_cohorts(clients[creator])
    cohort.delete()
    assert not _shows_cohorts(clients[creator])


def test_an_hr_admin_who_loses_the_role_loses_jp_compliance(client_for, provider_a):
    person = UserFactory()
    client = client_for(person)
    assert not _shows_compliance(client)
    role = OrganizationRoleFactory(user=person, organization=provider_a)
    assert _shows_compliance(client)
    # Edited in place (the admin's form): no longer HR admin.
    role.role = OrganizationRole.Role.TRAINER
    role.save()
    assert not _shows_compliance(client)
    role.role = OrganizationRole.Role.ADMIN
    role.save()
    assert _shows_compliance(client)
    role.delete()
    assert not _shows_compliance(client)


def test_a_role_moved_to_another_person_leaves_the_first(client_for, provider_a):
    first, second = UserFactory(), UserFactory()
    clients = {person: client_for(person) for person in (first, second)}
    role = OrganizationRoleFactory(user=first, organization=provider_a)
    assert _shows_compliance(clients[first])
    assert not _shows_compliance(clients[second])
    role.user = second
    role.save()
    assert not _shows_compliance(clients[first])
    assert _shows_compliance(clients[second])


def test_the_admins_access_through_a_group_shows_and_goes_with_the_group(client_for):
    person = UserFactory()
    client = client_for(person)
    access_admin = Permission.objects.get(
        codename="access_admin", content_type__app_label="wagtailadmin"
    )
    group = Group.objects.create(name="Penyunting uji")
    group.permissions.add(access_admin)
    assert "w-userbar" not in _header(client)

    person.groups.add(group)
    assert "w-userbar" in _header(client)
    group.permissions.remove(access_admin)
    assert "w-userbar" not in _header(client)

    group.permissions.add(access_admin)
    assert "w-userbar" in _header(client)
    group.user_set.remove(person)
    assert "w-userbar" not in _header(client)

    person.user_permissions.add(access_admin)
    assert "w-userbar" in _header(client)
    person.user_permissions.remove(access_admin)
    assert "w-userbar" not in _header(client)

    person.groups.add(group)
    assert "w-userbar" in _header(client)
    group.delete()
    assert "w-userbar" not in _header(client)
