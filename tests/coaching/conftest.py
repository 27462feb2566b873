"""People around a coaching agreement: the coachee, their confirmed supervisor as coach, a
coach who is not their supervisor, and the wrong ones (another learner, HR, a superuser)."""

import pytest

from content.factories import OrganizationFactory
from learners.factories import UserFactory


@pytest.fixture
def organization(db):
    return OrganizationFactory(name="Kementerian Uji", short_name="KU", slug="ku")


@pytest.fixture
def supervisor(organization):
    return UserFactory(
        email="atasan@ku.go.id", full_name="Atasan Langsung", organization=organization
    )


@pytest.fixture
def coachee(organization, supervisor):
    return UserFactory(
        email="pegawai@ku.go.id",
        full_name="Pegawai Satu",
        organization=organization,
        supervised_by=supervisor,
    )


@pytest.fixture
def widyaiswara(db):
    """A coach who is not the coachee's supervisor."""
    return UserFactory(email="widyaiswara@lan.go.id", full_name="Widyaiswara Ahli")


@pytest.fixture
def other_learner(organization):
    return UserFactory(email="lain@ku.go.id", full_name="Peserta Lain", organization=organization)


@pytest.fixture
def hr(organization):
    return UserFactory(email="sdm@ku.go.id", full_name="SDM KU", admin_of=organization)
