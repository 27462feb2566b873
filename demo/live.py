"""Demo live sessions of the running cohort: an online class held a week ago whose attendance
the widyaiswara recorded (most members present, the ones furthest behind absent: their hours
count toward the JP of those present), and the in-person session on Thursday that the cohort's
announcement talks about (in the members' notifications). Idempotent."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from cohorts.models import Cohort, CohortMembership
from courses.models import CoursePage
from demo.cohorts import RUNNING
from learners.models import User
from live import services
from live.models import LiveSession, SessionNotice
from live.permissions import MEMBER_STATUSES

COURSE = "integritas-dan-antikorupsi-asn"
JAKARTA = ZoneInfo("Asia/Jakarta")
#: Members absent from the past session (the last ones in the cohort's learner list).
ABSENT = 3


def _at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=JAKARTA)


@transaction.atomic
def seed_live_sessions(report) -> None:
    """Seed the running cohort's sessions once. `report` is `demo.builders.SeedReport`."""
    course = CoursePage.objects.live().filter(slug=COURSE).first()
    cohort = Cohort.objects.filter(course=course, name=RUNNING).first() if course else None
    if cohort is None or LiveSession.objects.filter(cohort=cohort).exists():
        return
    trainer = User.objects.get(email="widyaiswara@lentera.localhost")
    today = timezone.localdate()

    # Held a week ago: written as it stands in the table, since the service schedules only
    # sessions still to come.
    held = LiveSession.objects.create(
        cohort=cohort,
        created_by=trainer,
        title="Kelas daring: mengenali gratifikasi",
        starts_at=_at(today - timedelta(days=7), 13),
        ends_at=_at(today - timedelta(days=7), 14, 30),
        url="https://meet.lentera.localhost/integritas-angkatan-1",
        notes="Bahas modul 1 dan contoh kasus dari instansi peserta.",
    )
    memberships = list(
        CohortMembership.objects.filter(cohort=cohort, enrollment__status__in=MEMBER_STATUSES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    services.attendance_record(
        session=held,
        recorded_by=trainer,
        marks={pk: index < len(memberships) - ABSENT for index, pk in enumerate(memberships)},
    )

    thursday = today + timedelta(days=(3 - today.weekday()) % 7 or 7)
    upcoming = services.session_create(
        cohort=cohort,
        created_by=trainer,
        title="Sesi tatap muka: studi kasus modul 2",
        starts_at=_at(thursday, 9),
        ends_at=_at(thursday, 11),
        place="Ruang Rapat Lantai 3",
        notes="Bawa analisis kasus Anda.",
    )
    # The members find it in their notifications; its e-mails are recorded as sent, as the
    # demo's other e-mails are (seeding sends no mail).
    SessionNotice.objects.filter(session=upcoming).update(sent_at=timezone.now())
    report.add("live sessions", 2)
