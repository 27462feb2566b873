"""People around a development record: the owner, their confirmed supervisor, their
organization's HR, and the wrong ones (another learner, an unconfirmed supervisor, HR of another
organization).

The organization, its HR, the supervisor and the wrong ones are shared:
tests/supervision_fixtures.py."""

import pytest
from django.utils import timezone

from learners.factories import UserFactory


@pytest.fixture
def owner(organization, supervisor):
    return UserFactory(
        email="pegawai@ku.go.id",
        full_name="Pegawai Satu",
        organization=organization,
        supervised_by=supervisor,
    )


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
