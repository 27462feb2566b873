"""People around a supervisor's team: the supervisor, a confirmed member, their organization's
HR, and the wrong ones (another learner, a supervisor of another team, an unconfirmed
supervisor, HR of another organization).

The organization, its HR, the supervisor and the wrong ones are shared:
tests/supervision_fixtures.py."""

import pytest
from django.utils import timezone

from content.factories import CompetencyFactory
from learners.factories import UserFactory


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
def competency(db):
    return CompetencyFactory()
