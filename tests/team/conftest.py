"""People around a supervisor's team: the supervisor, a confirmed member, their organization's
HR, and the wrong ones (another learner, a supervisor of another team, an unconfirmed
supervisor, HR of another organization)."""

import pytest
from django.utils import timezone

from content.factories import CompetencyFactory, OrganizationFactory
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
def member(organization, supervisor):
    return UserFactory(
        email="pegawai@ku.go.id",
        full_name="Pegawai Satu",
        organization=organization,
        supervised_by=supervisor,
        account_kind="pns",
    )


@pytest.fixture
def other_supervisor(organization):
    """The confirmed supervisor of someone else, in the same organization."""
    boss = UserFactory(
        email="atasan.lain@ku.go.id", full_name="Atasan Lain", organization=organization
    )
    UserFactory(full_name="Anak Buah Lain", organization=organization, supervised_by=boss)
    return boss


@pytest.fixture
def unconfirmed_supervisor(organization):
    """Named by a learner and accepted, not yet confirmed by HR."""
    boss = UserFactory(
        email="atasan.belum@ku.go.id", full_name="Atasan Belum", organization=organization
    )
    UserFactory(
        email="pegawai.tiga@ku.go.id",
        full_name="Pegawai Tiga",
        organization=organization,
        supervisor=boss,
        supervisor_accepted_at=timezone.now(),
    )
    return boss


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
def competency(db):
    return CompetencyFactory()
