"""Factories for development records; used by the tests and the demo alike. Forms and their
national rules come from the data migration: `form_of(code)` fetches one."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from development.models import DevelopmentForm, DevelopmentRecord, FormRule
from learners.factories import UserFactory


def form_of(code: str) -> DevelopmentForm:
    """One of the seeded forms (development/migrations/0002)."""
    return DevelopmentForm.objects.get(code=code)


class DevelopmentFormFactory(factory.django.DjangoModelFactory):
    """A form of development beyond the seeded ones."""

    code = factory.Sequence(lambda n: f"bentuk-{n}")
    name = factory.Sequence(lambda n: f"Bentuk pengembangan {n}")
    mode = DevelopmentForm.Mode.CLASSICAL

    class Meta:
        model = DevelopmentForm


class FormRuleFactory(factory.django.DjangoModelFactory):
    form = factory.SubFactory(DevelopmentFormFactory)
    organization = None
    evidence = FormRule.Evidence.NONE

    class Meta:
        model = FormRule


class DevelopmentRecordFactory(factory.django.DjangoModelFactory):
    """A submitted record of a workshop last week (a form without evidence rules is not needed:
    the link satisfies the seeded rule)."""

    owner = factory.SubFactory(UserFactory)
    form = factory.LazyFunction(lambda: form_of("workshop"))
    title = factory.Sequence(lambda n: f"Lokakarya {n}")
    organizer = "BPSDM Provinsi"
    start_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=8))
    end_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=7))
    hours = Decimal("9")
    jp = Decimal("12")
    report = "Belajar menyusun analisis kebijakan."
    evidence_url = "https://contoh.go.id/sertifikat.pdf"
    status = DevelopmentRecord.Status.SUBMITTED

    class Meta:
        model = DevelopmentRecord
