"""People around a coaching agreement: the coachee, their confirmed supervisor as coach, a
coach who is not their supervisor, and the wrong ones (another learner, HR, a superuser).

The organization, its HR, the supervisor and the wrong ones are shared:
tests/supervision_fixtures.py."""

import pytest

from learners.factories import UserFactory


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
