"""Two people naming each other as supervisor at the same moment make no loop: the second waits
for the first's link and is refused."""

from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from learners.factories import UserFactory
from learners.models import User
from learners.supervisors import SUPERVISOR_LINK_FIELDS, supervisor_link_request
from tests.utils import race

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("concurrent_database"),
]


def _name(person_id: int, supervisor_id: int) -> int:
    """What the profile form does: in one transaction, name the supervisor and save."""
    with transaction.atomic():
        person = User.objects.get(pk=person_id)
        supervisor = User.objects.get(pk=supervisor_id)
        supervisor_link_request(person, supervisor=supervisor, name="", email="")
        person.save(update_fields=SUPERVISOR_LINK_FIELDS)
    return person_id


def test_naming_each_other_at_once_makes_no_loop():
    a, b = UserFactory(), UserFactory()

    outcomes = race(partial(_name, a.pk, b.pk), partial(_name, b.pk, a.pk))

    refused = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert len(refused) == 1, outcomes
    assert refused[0].code == "supervisor_loop"
    links = dict(User.objects.filter(pk__in=[a.pk, b.pk]).values_list("pk", "supervisor_id"))
    assert sorted(filter(None, links.values())) in ([a.pk], [b.pk])
