"""Demo cohorts for the demo trainer: one under way with varied progress (some learners ahead,
some at risk, some done, quiz scores, reminders already sent), and one opening soon that
learners can ask to join. Dates follow today, so the dashboard always looks live. Idempotent.
"""

from datetime import datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from cohorts.members import cohort_members_add
from cohorts.models import Cohort, Reminder
from cohorts.services import cohort_create, cohort_schedule_update
from courses.models import CoursePage, LessonPage
from demo.evaluation import _right, _take
from learners import progress
from learners.models import Enrollment, LessonCompletion, MembershipStatus, User, WorkUnit
from quizzes.models import QuizPage

RUNNING = "Angkatan I Tahun 2026"
UPCOMING = "Angkatan II Tahun 2026"

# (name, organization key, share of the course done: 1.0 finished the course)
LEARNERS = [
    ("Agus Prasetyo", "kemenpanrb", 1.0),
    ("Ratna Sari Dewi", "kemenpanrb", 1.0),
    ("Bambang Wijaya", "lan", 1.0),
    ("Sri Wahyuni", "lan", 1.0),
    ("Hendra Gunawan", "kemenpanrb", 0.9),
    ("Fitri Handayani", "kemenpanrb", 0.8),
    ("Dedi Kurniawan", "lan", 0.8),
    ("Nur Aini", "lan", 0.7),
    ("Rudi Hartono", "kemenpanrb", 0.7),
    ("Lestari Putri", "kemenpanrb", 0.6),
    ("Joko Susilo", "lan", 0.6),
    ("Maya Anggraini", "lan", 0.5),
    ("Eko Saputra", "kemenpanrb", 0.5),
    ("Indah Permatasari", "kemenpanrb", 0.4),
    ("Arif Rahman", "lan", 0.3),
    ("Wulan Sari", "lan", 0.3),
    ("Taufik Hidayat", "kemenpanrb", 0.2),
    ("Yuliana Siregar", "kemenpanrb", 0.1),
    ("Made Suarsana", "lan", 0.1),
    ("Rina Marlina", "lan", 0.0),
    ("Andi Saputra", "kemenpanrb", 0.0),
    ("Dian Novita", "kemenpanrb", 0.0),
]


def _nip(index: int) -> str:
    """A structurally valid, deterministic NIP for the demo learner `index`."""
    birth = f"{1978 + index % 17}{index % 12 + 1:02d}{index % 27 + 1:02d}"
    appointed = f"{2004 + index % 17}{(index + 5) % 12 + 1:02d}"
    return f"{birth}{appointed}{index % 2 + 1}{700 + index:03d}"


def _learners() -> list[User]:
    units = {}
    for unit in WorkUnit.objects.filter(
        organization__slug__in=["lan", "kemenpanrb"]
    ).select_related("organization"):
        units.setdefault(unit.organization.slug, []).append(unit)
    password = make_password(None)
    people = []
    for index, (name, organization, _share) in enumerate(LEARNERS):
        unit_list = units.get(organization) or [None]
        unit = unit_list[index % len(unit_list)]
        email = f"{name.lower().replace(' ', '.')}@lentera.localhost"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create(
                email=email,
                full_name=name,
                password=password,
                account_kind=User.AccountKind.PNS,
                nip=_nip(index),
                organization=unit.organization if unit else None,
                membership_status=MembershipStatus.CONFIRMED,
                work_unit=unit,
            )
        people.append(user)
    return people


def _at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _journey(user: User, lessons: list[LessonPage], quizzes: dict, share: float, cohort) -> None:
    """Complete the first `share` of the lessons, spread over the cohort's days so far."""
    count = round(len(lessons) * share)
    days = max((timezone.localdate() - cohort.starts_on).days, 1)
    for number, lesson in enumerate(lessons[:count]):
        quiz = quizzes.get(lesson.pk)
        if quiz is not None:
            # Stronger learners score higher; the post-test is passed only by finishers.
            _take(user, quiz, _right(quiz, 60 + round(share * 35)))
        else:
            progress.lesson_complete(user=user, lesson=lesson)
        day = cohort.starts_on + timedelta(days=min(days - 1, (number * days) // max(count, 1)))
        LessonCompletion.objects.filter(enrollment__user=user, lesson=lesson).update(
            completed_at=_at(day, 9 + number % 8)
        )


def seed_cohorts(report) -> None:
    trainer = User.objects.get(email="widyaiswara@lentera.localhost")
    course = CoursePage.objects.live().filter(slug="integritas-dan-antikorupsi-asn").first()
    if course is not None and not Cohort.objects.filter(course=course, name=RUNNING).exists():
        today = timezone.localdate()
        cohort = cohort_create(
            course=course,
            name=RUNNING,
            starts_on=today - timedelta(days=21),
            ends_on=today + timedelta(days=24),
            enrollment_deadline=today - timedelta(days=14),
            capacity=40,
            created_by=trainer,
        )
        lessons = list(LessonPage.objects.live().descendant_of(course).order_by("path"))
        cohort_schedule_update(
            cohort=cohort,
            changed_by=trainer,
            dues={
                lessons[len(lessons) // 2].pk: today - timedelta(days=3),
                lessons[-1].pk: cohort.ends_on,
            },
        )
        people = _learners()
        cohort_members_add(cohort=cohort, users=people, added_by=trainer)
        Enrollment.objects.filter(cohort_membership__cohort=cohort).update(
            created_at=_at(cohort.starts_on, 8), started_at=_at(cohort.starts_on, 8)
        )
        quizzes = {quiz.pk: quiz for quiz in QuizPage.objects.live().descendant_of(course)}
        for user, (_name, _organization, share) in zip(people, LEARNERS, strict=True):
            _journey(user, lessons, quizzes, share, cohort)
        behind = [user for user, item in zip(people, LEARNERS, strict=True) if item[2] < 0.2]
        Reminder.objects.bulk_create(
            Reminder(
                cohort=cohort,
                learner=user,
                sent_on=today - timedelta(days=2),
                sent_by=trainer,
                status=Reminder.Status.SENT,
                sent_at=_at(today - timedelta(days=2), 10),
            )
            for user in behind
        )
        report.add("cohort learners", len(people))

    coaching = CoursePage.objects.live().filter(slug="coaching-dan-mentoring-bagi-atasan").first()
    if coaching is not None and not Cohort.objects.filter(course=coaching, name=UPCOMING).exists():
        today = timezone.localdate()
        cohort_create(
            course=coaching,
            name=UPCOMING,
            starts_on=today + timedelta(days=7),
            ends_on=today + timedelta(days=49),
            enrollment_deadline=today + timedelta(days=5),
            capacity=30,
            created_by=trainer,
        )
        report.add("cohorts")
