"""Demo competency profile and development plan of Dewi (`peserta1`), Analis Kebijakan Ahli Muda,
whose position requires policy analysis (T.01), communication (M.03) and decision making (M.08)
at level 3. Her profile then shows each source: her endorsed self-assessment of M.03 (seeded
by `demo.evaluation`), a post-test passed in "Analisis Kebijakan Publik Dasar" (T.01 and M.08 at
level 2) and her supervisor's later rating of both after that course. Her plan for this year,
agreed by her supervisor, is partly realised: the course and her verified seminar count; the
decision-making course, the policy-brief writing course for her need and a mentoring do not yet.

Made through `learners.factories.completed_enrollment` and `planning.services`, as the learner
and her supervisor would; a second run creates nothing.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from content.models import Competency
from courses.models import CoursePage
from development.models import DevelopmentForm
from evaluation.models import BehaviourFollowUp, LearningNeed
from learners.factories import completed_enrollment
from learners.models import Enrollment, User
from planning import services
from planning.models import DevelopmentPlan


def _this_year_moment(days_ago: int) -> datetime:
    """`days_ago` days ago, or the first morning of this year if that is earlier: the demo's
    realised activities fall in the plan's year whatever the day `make run` is."""
    now = timezone.now()
    start = timezone.make_aware(datetime(now.year, 1, 1, 8))
    return min(now, max(start, now - timedelta(days=days_ago)))


def _post_test_and_rating(dewi: User, course: CoursePage) -> None:
    """Dewi completed `course` with a passed post-test, and her supervisor rated her change."""
    enrollment = (
        Enrollment.objects.filter(user=dewi, course=course, completed_at__isnull=False)
        .order_by("-completed_at")
        .first()
    )
    if enrollment is None:
        enrollment = completed_enrollment(
            user=dewi,
            course=course,
            completed_at=_this_year_moment(100),
            final_score=Decimal("86.00"),
            pass_band="Baik",  # noqa: S106 (a pass band, not a password)
        )
    if BehaviourFollowUp.objects.filter(enrollment=enrollment).exists():
        return
    ratings = {
        str(competency.pk): level
        for competency, level in (
            (Competency.objects.filter(code="T.01").first(), 3),
            (Competency.objects.filter(code="M.08").first(), 2),
        )
        if competency is not None
    }
    if not ratings:
        return
    sent_at = enrollment.completed_at + (timezone.now() - enrollment.completed_at) / 2
    BehaviourFollowUp.objects.create(
        enrollment=enrollment,
        supervisor=dewi.supervisor,
        recipient_email=dewi.supervisor.email,
        sent_at=sent_at,
        expires_at=sent_at + timedelta(days=14),
        answered_at=sent_at + timedelta(hours=20),
        ratings=ratings,
        average_rating=Decimal(sum(ratings.values())) / len(ratings),
        comment="Telaahan kebijakannya lebih runtut dan berbasis data.",
    )


@transaction.atomic
def seed_planning(report) -> None:
    """Seed Dewi's evidence and this year's agreed plan once. `report` is
    `demo.builders.SeedReport`."""
    dewi = User.objects.select_related("supervisor").get(email="peserta1@lentera.localhost")
    if dewi.supervisor is None:
        return
    courses = {course.slug: course for course in CoursePage.objects.live()}
    basics = courses.get("analisis-kebijakan-publik-dasar")
    if basics is not None:
        _post_test_and_rating(dewi, basics)

    year = timezone.localdate().year
    if DevelopmentPlan.objects.filter(user=dewi, year=year).exists():
        return
    forms = {form.code: form for form in DevelopmentForm.objects.all()}
    need = (
        LearningNeed.objects.filter(
            user=dewi, competency__code="M.03", status=LearningNeed.Status.ENDORSED
        )
        .select_related("competency")
        .first()
    )
    plan = services.plan_create(user=dewi, year=year)
    planned = [
        {"course": basics, "target_date": date(year, 4, 30), "planned_jp": Decimal(2)},
        {
            "form": forms["seminar"],
            "title": "Seminar nasional pelayanan publik",
            "target_date": date(year, 6, 30),
            "planned_jp": Decimal(4),
        },
        {
            "course": courses.get("pengambilan-keputusan-berbasis-data"),
            "target_date": date(year, 12, 15),
            "planned_jp": Decimal(2),
        },
        {
            "course": courses.get("writing-policy-briefs-in-english"),
            "need": need,
            "target_date": date(year, 12, 20),
            "planned_jp": Decimal(2),
        },
        {
            "form": forms["mentoring"],
            "title": "Mentoring penyusunan policy brief",
            "competency": Competency.objects.filter(code="T.01").first(),
            "target_date": date(year, 12, 31),
            "planned_jp": Decimal(4),
        },
    ]
    for item in planned:
        if "course" in item and item["course"] is None:
            continue  # a demo catalog without this course
        services.item_add(plan=plan, user=dewi, **item)
    services.plan_submit(plan=plan, user=dewi)
    services.plan_agree(
        plan=plan,
        supervisor=dewi.supervisor,
        note="Setuju. Prioritaskan pengambilan keputusan berbasis data sebelum akhir tahun.",
    )
    report.add("development plans")
