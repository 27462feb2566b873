"""Factories for people; used by the tests and by `seed_demo` alike."""

import factory

from learners.models import User


class UserFactory(factory.django.DjangoModelFactory):
    email = factory.Sequence(lambda n: f"peserta{n}@instansi.go.id")
    full_name = factory.Sequence(lambda n: f"Peserta Pelatihan {n}")
    password = factory.django.Password("lentera-uji-123")

    class Meta:
        model = User
        django_get_or_create = ["email"]
