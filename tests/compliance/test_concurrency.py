"""Two HR staff sending reminders at the same moment remind each person once: the organization's
row is locked while a request decides who is due (PostgreSQL), and SQLite's IMMEDIATE
transactions take turns."""

from functools import partial

import pytest
from django.utils import timezone

from compliance import reminders
from compliance.models import ComplianceReminder
from compliance.reports import ComplianceFilters
from content.factories import OrganizationFactory
from learners.factories import UserFactory
from tests.utils import race

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("concurrent_database"),
]


def test_racing_reminders_remind_each_person_once():
    organization = OrganizationFactory(name="Badan Balapan", short_name="BB", slug="bb")
    hr = [UserFactory(admin_of=organization) for _n in range(3)]
    staff = [
        UserFactory(organization=organization, account_kind="pns", full_name=f"Pegawai {n}")
        for n in range(4)
    ]
    filters = ComplianceFilters(year=timezone.localdate().year)

    outcomes = race(
        *[
            partial(reminders.reminders_send, organization=organization, filters=filters, sent_by=h)
            for h in hr
        ]
    )

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert sorted(outcome.queued for outcome in outcomes) == [0, 0, 4]
    assert sorted(ComplianceReminder.objects.values_list("person_id", flat=True)) == sorted(
        person.pk for person in staff
    )
