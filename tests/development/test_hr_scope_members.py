"""HR sees and verifies the learning of their organization's confirmed members only: a sign-up
that names the organization, still waiting for HR or refused by it, is not its staff (the
compliance report and HR's person page leave them out the same way)."""

import pytest

from content.factories import OrganizationFactory
from development.factories import DevelopmentRecordFactory
from development.models import DevelopmentRecord
from development.permissions import can_verify, can_view, verifier_q
from learners.factories import UserFactory
from learners.models import MembershipStatus
from learners.permissions import can_view_learner_records
from planning.permissions import can_view_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def organization():
    return OrganizationFactory(name="Kementerian Uji", short_name="KU")


@pytest.fixture
def hr(organization):
    return UserFactory(email="sdm@ku.go.id", admin_of=organization, organization=organization)


@pytest.mark.parametrize(
    ("status", "hr_sees"),
    [
        (MembershipStatus.CONFIRMED, True),
        (MembershipStatus.PENDING, False),
        (MembershipStatus.REJECTED, False),
    ],
)
def test_hr_sees_and_verifies_confirmed_members_only(organization, hr, status, hr_sees):
    person = UserFactory(organization=organization, membership_status=status)
    record = DevelopmentRecordFactory(owner=person)

    assert can_verify(hr, person) is hr_sees
    assert can_view(hr, person) is hr_sees
    assert can_view_person(hr, person) is hr_sees
    assert can_view_learner_records(hr, person) is hr_sees
    queue = DevelopmentRecord.objects.filter(verifier_q(hr))
    assert (record in queue) is hr_sees
    # The person always sees their own.
    assert can_view(person, person) and can_view_person(person, person)
