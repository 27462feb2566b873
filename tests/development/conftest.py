"""People around a development record: the owner, their confirmed supervisor, their
organization's HR, and the wrong ones (another learner, an unconfirmed supervisor, HR of another
organization)."""

import pytest
from django.utils import timezone

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
def owner(organization, supervisor):
    return UserFactory(
        email="pegawai@ku.go.id",
        full_name="Pegawai Satu",
        organization=organization,
        supervised_by=supervisor,
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


@pytest.fixture
def owner_named_unconfirmed(organization):
    """A learner whose named supervisor accepted but HR has not confirmed the link."""
    boss = UserFactory(email="atasan.belum@ku.go.id", full_name="Atasan Belum")
    learner = UserFactory(
        email="pegawai.tiga@ku.go.id",
        full_name="Pegawai Tiga",
        organization=organization,
        supervisor=boss,
        supervisor_accepted_at=timezone.now(),
    )
    return learner, boss
