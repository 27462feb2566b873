"""Live session fixtures: a trainer of course A who does not train its cohort (the cohort, its
trainer and members and the outsider come from tests/cohort_fixtures.py); sessions in the past
are written straight to the table (the service refuses to schedule one), upcoming ones through
the service."""

from datetime import timedelta

import pytest
from django.utils import timezone

from learners.factories import UserFactory
from live import services
from live.models import LiveSession


@pytest.fixture
def course_trainer(course_a):
    """Trains course A, not the cohort: sees none of the cohort's pages."""
    return UserFactory(
        email="pelatih.lain@instansi.go.id", full_name="Pelatih Lain", trainer_of=course_a
    )


def past_session(cohort, *, days_ago: int = 1, minutes: int = 90, **fields) -> LiveSession:
    """A session held `days_ago` days ago at 09:00 in Jakarta, lasting `minutes`."""
    starts_at = (timezone.localtime() - timedelta(days=days_ago)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    values = {"title": "Sesi refleksi", "url": "https://meet.example.go.id/refleksi"}
    values.update(fields)
    return LiveSession.objects.create(
        cohort=cohort,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        **values,
    )


def tomorrow_at(hour: int, minute: int = 0):
    return (timezone.localtime() + timedelta(days=1)).replace(
        hour=hour, minute=minute, second=0, microsecond=0
    )


@pytest.fixture
def upcoming(cohort, trainer):
    return services.session_create(
        cohort=cohort,
        created_by=trainer,
        title="Kelas daring: SKP",
        starts_at=tomorrow_at(9),
        ends_at=tomorrow_at(10, 30),
        url="https://meet.example.go.id/skp",
        notes="Siapkan dokumen SKP Anda.",
    )


@pytest.fixture
def held(cohort):
    return past_session(cohort)
