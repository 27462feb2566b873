"""People around a competency profile and a plan: the person, their confirmed supervisor, their
organization's HR, and the wrong ones (another learner, the supervisor of another team, HR of
another organization); a position with its competency standard.

The organization, its HR, the supervisor and the wrong ones are shared:
tests/supervision_fixtures.py."""

from datetime import timedelta

import pytest
from django.utils import timezone

from content.factories import CompetencyFactory
from evaluation.models import LearningNeed
from learners.factories import PositionCompetencyFactory, PositionFactory, UserFactory


@pytest.fixture
def position(organization):
    return PositionFactory(organization=organization, name="Analis Kebijakan Ahli Muda")


@pytest.fixture
def competencies(db):
    return [
        CompetencyFactory(code="T.01", name="Analisis Kebijakan"),
        CompetencyFactory(code="M.01", name="Integritas"),
        CompetencyFactory(code="M.02", name="Kerja Sama"),
    ]


@pytest.fixture
def standard(position, competencies):
    """The position requires level 3, 2 and 4 of the three competencies."""
    for competency, level in zip(competencies, (3, 2, 4), strict=True):
        PositionCompetencyFactory(position=position, competency=competency, target_level=level)
    return position


@pytest.fixture
def owner(organization, supervisor, standard):
    return UserFactory(
        email="pegawai@ku.go.id",
        full_name="Pegawai Satu",
        organization=organization,
        position=standard,
        supervised_by=supervisor,
    )


@pytest.fixture
def other_supervisor(organization):
    """The confirmed supervisor of another team (not of the owner)."""
    boss = UserFactory(email="atasan.lain@ku.go.id", full_name="Atasan Lain")
    UserFactory(email="staf.lain@ku.go.id", organization=organization, supervised_by=boss)
    return boss


def endorsed_need(user, competency, *, current: int, target: int, days_ago: int, by=None):
    """A learning need its supervisor endorsed `days_ago` days ago."""
    when = timezone.now() - timedelta(days=days_ago)
    return LearningNeed.objects.create(
        user=user,
        competency=competency,
        current_level=current,
        target_level=target,
        reason="Hasil penilaian diri.",
        status=LearningNeed.Status.ENDORSED,
        submitted_at=when,
        endorsed_by=by,
        endorsed_at=when,
    )
