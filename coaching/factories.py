"""Factories for coaching agreements and sessions; used by the tests and the demo alike."""

from datetime import timedelta

import factory
from django.utils import timezone

from coaching.models import CoachingAgreement, CoachingSession
from learners.factories import UserFactory


class CoachingAgreementFactory(factory.django.DjangoModelFactory):
    """An active coaching agreement that began a month ago, proposed by the coachee."""

    coachee = factory.SubFactory(UserFactory)
    coach = factory.SubFactory(UserFactory)
    kind = CoachingAgreement.Kind.COACHING
    title = factory.Sequence(lambda n: f"Penyusunan telaahan staf {n}")
    goals = "Mampu menyusun telaahan staf yang ringkas dan berbasis data."
    start_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    status = CoachingAgreement.Status.ACTIVE
    proposed_by = CoachingAgreement.Role.COACHEE
    accepted_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = CoachingAgreement


class CoachingSessionFactory(factory.django.DjangoModelFactory):
    """A session of last week logged and confirmed by the coachee, waiting for the coach."""

    agreement = factory.SubFactory(CoachingAgreementFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=7))
    duration_minutes = 90
    notes = "Membahas struktur telaahan staf dan sumber data."
    agreed_actions = "Menyusun draf telaahan untuk dibahas pekan depan."
    logged_by = CoachingAgreement.Role.COACHEE
    confirmed_by_coachee_at = factory.LazyFunction(timezone.now)
    confirmed_by_coach_at = None

    class Meta:
        model = CoachingSession
