"""Factories for people; used by the tests and by `seed_demo` alike."""

import factory

from learners.models import MembershipStatus, Position, User, WorkUnit


class UserFactory(factory.django.DjangoModelFactory):
    email = factory.Sequence(lambda n: f"peserta{n}@instansi.go.id")
    full_name = factory.Sequence(lambda n: f"Peserta Pelatihan {n}")
    password = factory.django.Password("lentera-uji-123")
    # Established staff, as seed_demo's: confirmed members of the organization they name. A new
    # sign-up starts pending (the model's default); tests of that path go through the form.
    membership_status = MembershipStatus.CONFIRMED

    class Meta:
        model = User
        django_get_or_create = ["email"]


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
