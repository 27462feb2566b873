"""The people around a supervisor's team, shared by the tests of development records, the team
pages, plans and coaching: an organization with its HR, a supervisor, and the wrong ones (another
learner, HR of another organization). Each test folder's conftest adds the person at the centre
(the record's owner, the team member, the coachee). Registered in tests/conftest.py."""

import pytest

from content.factories import OrganizationFactory
from learners.factories import UserFactory


@pytest.fixture
def organization(db):
    return OrganizationFactory(name="Kementerian Uji", short_name="KU", slug="ku")


@pytest.fixture
def other_organization(db):
    return OrganizationFactory(name="Badan Lain", short_name="BL", slug="bl")


@pytest.fixture
def supervisor(organization):
    return UserFactory(
        email="atasan@ku.go.id", full_name="Atasan Langsung", organization=organization
    )


@pytest.fixture
def hr(organization):
    return UserFactory(email="sdm@ku.go.id", full_name="SDM KU", admin_of=organization)


@pytest.fixture
def hr_other(other_organization):
    return UserFactory(email="sdm@bl.go.id", full_name="SDM BL", admin_of=other_organization)


@pytest.fixture
def other_learner(organization):
    return UserFactory(email="lain@ku.go.id", full_name="Peserta Lain", organization=organization)
