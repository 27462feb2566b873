"""Factories for cohorts; used by the tests and by `seed_demo` alike."""

from datetime import timedelta

import factory
from django.utils import timezone

from cohorts.models import Cohort, CohortInvitation
from cohorts.services import cohort_create
from learners.factories import UserFactory


class CohortFactory(factory.django.DjangoModelFactory):
    """A cohort of a `course`, created through `cohort_create` (its creator trains it), half way
    through by default: it began 14 days ago and ends in 15."""

    name = factory.Sequence(lambda n: f"Angkatan {n + 1}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=14))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + timedelta(days=29))
    created_by = factory.SubFactory(UserFactory)

    class Meta:
        model = Cohort

    @classmethod
    def _create(cls, model_class, *args, **kwargs) -> Cohort:
        return cohort_create(**kwargs)


class CohortInvitationFactory(factory.django.DjangoModelFactory):
    """A seat kept for someone without an account (by e-mail address); give the `cohort`.

    A bare row, no e-mail sent: for tests of seats, expiry and links (`invitations_create`
    is the path that sends them).
    """

    email = factory.Sequence(lambda n: f"undangan{n}@instansi.go.id")

    class Meta:
        model = CohortInvitation
