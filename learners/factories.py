"""Factories for people and their learning; used by the tests and by `seed_demo` alike.

Rows a learner's own actions produce are built through the services, as the site builds them:
`completed_enrollment` completes a course lesson by lesson (`lesson_complete`), so its JP,
its learning record and its certificate (issued by `certificate_issue`, with the serial the
service numbers) are the ones a real learner gets. There is deliberately no certificate
factory: a hand-built certificate carries whatever serial and frozen fields its author typed.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from courses.models import CoursePage, LessonPage
from learners.models import (
    CourseTrainer,
    Enrollment,
    LessonCompletion,
    MembershipStatus,
    OrganizationRole,
    Position,
    PositionCompetency,
    User,
    WorkUnit,
)
from learners.selectors import course_required_lesson_count


def nip_for(number: int) -> str:
    """A structurally valid, unique 18-digit NIP (`learners.nip.nip_parse` accepts it) for the
    `number`-th person: born between 1970 and 1997, appointed at 22, sequence from `number`."""
    birth = date(1970, 1, 1) + timedelta(days=number % 10_000)
    sex = 1 + number % 2
    sequence = number // 10_000 % 999 + 1
    return f"{birth:%Y%m%d}{birth.year + 22}{birth.month:02d}{sex}{sequence:03d}"


class UserFactory(factory.django.DjangoModelFactory):
    """A person. `asn=True` makes a PNS of an organization with a NIP; `admin_of=organization`
    makes them that organization's HR admin; `trainer_of=course` a trainer of the course;
    `supervised_by=person` gives them that confirmed direct supervisor (accepted and confirmed,
    as `learners.supervisors` leaves a link both sides have agreed)."""

    email = factory.Sequence(lambda n: f"peserta{n}@instansi.go.id")
    full_name = factory.Sequence(lambda n: f"Peserta Pelatihan {n}")
    password = factory.django.Password("lentera-uji-123")
    # Established staff, as seed_demo's: confirmed members of the organization they name. A new
    # sign-up starts pending (the model's default); tests of that path go through the form.
    membership_status = MembershipStatus.CONFIRMED

    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True  # the hooks below save other rows, not the user

    class Params:
        asn = factory.Trait(
            account_kind=User.AccountKind.PNS,
            nip=factory.Sequence(nip_for),
            organization=factory.SubFactory("content.factories.OrganizationFactory"),
        )
        supervised_by = None

    supervisor = factory.SelfAttribute("supervised_by")
    supervisor_accepted_at = factory.Maybe(
        "supervised_by", yes_declaration=factory.LazyFunction(timezone.now), no_declaration=None
    )
    supervisor_confirmed_at = factory.Maybe(
        "supervised_by", yes_declaration=factory.LazyFunction(timezone.now), no_declaration=None
    )

    @factory.post_generation
    def admin_of(user: User, create: bool, extracted, **kwargs):
        if create and extracted is not None:
            OrganizationRoleFactory(user=user, organization=extracted)

    @factory.post_generation
    def trainer_of(user: User, create: bool, extracted, **kwargs):
        if create and extracted is not None:
            CourseTrainerFactory(user=user, course=extracted)


class OrganizationRoleFactory(factory.django.DjangoModelFactory):
    """A scoped role, by default the organization's HR admin."""

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory("content.factories.OrganizationFactory")
    role = OrganizationRole.Role.ADMIN

    class Meta:
        model = OrganizationRole


class CourseTrainerFactory(factory.django.DjangoModelFactory):
    """A trainer of a course; give the `course`."""

    user = factory.SubFactory(UserFactory)

    class Meta:
        model = CourseTrainer


class WorkUnitFactory(factory.django.DjangoModelFactory):
    organization = factory.SubFactory("content.factories.OrganizationFactory")
    name = factory.Sequence(lambda n: f"Bagian {n}")

    class Meta:
        model = WorkUnit


class PositionFactory(factory.django.DjangoModelFactory):
    organization = factory.SubFactory("content.factories.OrganizationFactory")
    name = factory.Sequence(lambda n: f"Analis Ahli Pertama {n}")

    class Meta:
        model = Position


class PositionCompetencyFactory(factory.django.DjangoModelFactory):
    """A competency a position requires, at a level; give the `position`."""

    competency = factory.SubFactory("content.factories.CompetencyFactory")
    target_level = 2

    class Meta:
        model = PositionCompetency


class EnrollmentFactory(factory.django.DjangoModelFactory):
    """An open enrollment, as `enrollment_create` leaves one; give the `course`.

    Active by default (`pending=True`: a request awaiting approval). For tests of the rows
    themselves (selectors, constraints); a learner's journey goes through the services, and a
    completed enrollment through `completed_enrollment`.
    """

    user = factory.SubFactory(UserFactory)
    status = Enrollment.Status.ACTIVE
    started_at = factory.LazyFunction(timezone.now)
    # As `enrollment_create` counts it (the stored progress: `learners.progress`).
    required_total = factory.LazyAttribute(lambda o: course_required_lesson_count(o.course))

    class Meta:
        model = Enrollment

    class Params:
        pending = factory.Trait(status=Enrollment.Status.PENDING, started_at=None)


def _live_lessons(course: CoursePage):
    return LessonPage.objects.live().descendant_of(course).order_by("path")


class LessonCompletionFactory(factory.django.DjangoModelFactory):
    """One completed lesson of an enrollment, its first lesson unless given one. A bare row:
    it closes no course (`lesson_complete` does), but the enrollment's stored progress is
    counted again, as the service counts it."""

    enrollment = factory.SubFactory(EnrollmentFactory)
    lesson = factory.LazyAttribute(lambda o: _live_lessons(o.enrollment.course).first())
    completed_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = LessonCompletion

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from learners.progress import recount_progress

        completion = super()._create(model_class, *args, **kwargs)
        recount_progress(Enrollment.objects.filter(pk=completion.enrollment_id))
        return completion


def completed_enrollment(
    *,
    user: User,
    course: CoursePage,
    completed_at: datetime | None = None,
    started_at: datetime | None = None,
    final_score: Decimal | None = None,
    pass_band: str = "",
    enrolled_by: User | None = None,
) -> Enrollment:
    """`user` enrolls in `course` and completes each of its lessons through the services: the
    enrollment is completed with the course's JP and, when the course issues one, its
    certificate issued (`enrollment.certificate`).

    `completed_at`: when the learner finished (as a device syncing an offline course reports
    it); the enrollment then began at `started_at`, by default a day earlier. `final_score`
    and `pass_band`: what the course's post-test recorded on the enrollment before the last
    lesson (the certificate prints them). `enrolled_by`: a trainer, for courses that need an
    approval or a cohort. Quizzes count as passed.
    """
    from learners import progress, services

    enrollment, _created = services.enrollment_create(
        user=user, course=course, enrolled_by=enrolled_by
    )
    changes = {}
    if completed_at is not None or started_at is not None:
        began = started_at or completed_at - timedelta(days=1)
        changes.update(created_at=began, started_at=began)
    if final_score is not None or pass_band:
        changes.update(final_score=final_score, pass_band=pass_band)
    if changes:
        Enrollment.objects.filter(pk=enrollment.pk).update(**changes)
    for lesson in _live_lessons(course).specific():
        # A quiz is completed by passing it: its lesson is completed as `attempt_submit`
        # completes it on a pass (no attempt is recorded; tests of attempts make their own).
        by_learner = getattr(lesson, "completed_by_learner", True)
        progress.lesson_complete(
            user=user,
            lesson=lesson,
            completed_at=completed_at,
            source=LessonCompletion.Source.WEB if by_learner else LessonCompletion.Source.QUIZ,
        )
    enrollment = Enrollment.objects.select_related("certificate").get(pk=enrollment.pk)
    if enrollment.status != Enrollment.Status.COMPLETED:
        raise ValueError(f"{course} has no required lesson: nothing completes it")
    enrollment.user, enrollment.course = user, course  # the caller's objects, as given
    return enrollment
