"""Demo coaching and mentoring logs, made through `coaching.services` as people would: Dewi is
coached by her confirmed supervisor (one session confirmed by both and so verified, one waiting
for the supervisor), Yusuf mentored by a widyaiswara (a confirmed session waiting in the
verification queue)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from coaching import services
from coaching.models import CoachingAgreement
from learners.models import User


def _agreement(*, coachee: User, coach: User, kind: str, title: str, goals: str, days_ago: int):
    agreement = services.agreement_propose(
        proposer=coachee,
        role=CoachingAgreement.Role.COACHEE,
        other_email=coach.email,
        kind=kind,
        title=title,
        goals=goals,
        start_date=timezone.localdate() - timedelta(days=days_ago),
    )
    return services.agreement_accept(agreement=agreement, user=coach)


@transaction.atomic
def seed_coaching(report) -> None:
    """Seed the demo learners' coaching logs once. `report` is `demo.builders.SeedReport`."""
    dewi = User.objects.get(email="peserta1@lentera.localhost")
    yusuf = User.objects.get(email="peserta2@lentera.localhost")
    if CoachingAgreement.objects.filter(coachee__in=[dewi, yusuf]).exists():
        return
    today = timezone.localdate()
    coaching = _agreement(
        coachee=dewi,
        coach=dewi.supervisor,
        kind=CoachingAgreement.Kind.COACHING,
        title="Menyusun telaahan staf berbasis data",
        goals="Mampu menyusun telaahan staf yang ringkas, berbasis data SKM, dalam dua bulan.",
        days_ago=40,
    )
    first = services.session_log(
        agreement=coaching,
        user=dewi,
        session_date=today - timedelta(days=30),
        duration_minutes=90,
        notes="Membahas struktur telaahan staf dan memilih data SKM triwulan lalu.",
        agreed_actions="Dewi menyusun draf pertama; atasan menyiapkan contoh telaahan.",
    )
    services.session_confirm(session=first, user=dewi.supervisor)
    services.session_log(
        agreement=coaching,
        user=dewi,
        session_date=today - timedelta(days=3),
        duration_minutes=60,
        notes="Mengulas draf pertama: rekomendasi perlu dikaitkan dengan temuan SKM.",
        agreed_actions="Memperbaiki bagian rekomendasi.",
    )
    mentor = User.objects.get(email="widyaiswara@lentera.localhost")
    mentoring = _agreement(
        coachee=yusuf,
        coach=mentor,
        kind=CoachingAgreement.Kind.MENTORING,
        title="Pengembangan karier analis data",
        goals="Merencanakan jalur karier jabatan fungsional statistisi.",
        days_ago=20,
    )
    session = services.session_log(
        agreement=mentoring,
        user=mentor,
        session_date=today - timedelta(days=10),
        duration_minutes=120,
        notes="Membahas kompetensi yang dibutuhkan jabatan fungsional statistisi.",
        agreed_actions="Yusuf memetakan kesenjangan kompetensinya.",
    )
    services.session_confirm(session=session, user=yusuf)
    report.add("coaching agreements", 2)
    report.add("coaching sessions", 3)
