"""People around HR's drill-down, reminders and SIASN export: an organization's HR, a PNS with a
confirmed supervisor, and the wrong ones (HR of another organization, a colleague)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from content.factories import OrganizationFactory
from development import services as development_services
from development.factories import DevelopmentRecordFactory, form_of
from learners.factories import UserFactory, WorkUnitFactory


@pytest.fixture
def agency_b(provider_b):
    """Organization B (the provider of course B) with two units, the second inside the first."""
    bagian = WorkUnitFactory(organization=provider_b, name="Bagian Umum")
    return {
        "organization": provider_b,
        "umum": bagian,
        "sub": WorkUnitFactory(organization=provider_b, name="Subbagian TU", parent=bagian),
    }


@pytest.fixture
def hr_b(provider_b):
    return UserFactory(email="sdm@b.go.id", full_name="SDM Instansi B", admin_of=provider_b)


@pytest.fixture
def hr_other(db):
    other = OrganizationFactory(name="Badan Lain", short_name="BL", slug="bl")
    return UserFactory(email="sdm@bl.go.id", full_name="SDM BL", admin_of=other)


@pytest.fixture
def boss(provider_b):
    return UserFactory(email="atasan@b.go.id", full_name="Atasan Bagus", organization=provider_b)


@pytest.fixture
def dewi(agency_b, boss):
    """A PNS of organization B, unit Bagian Umum, NIP set, supervised by `boss`."""
    return UserFactory(
        email="dewi@b.go.id",
        full_name="Dewi Lestari",
        nip="199001012015032001",
        organization=agency_b["organization"],
        work_unit=agency_b["umum"],
        account_kind="pns",
        supervised_by=boss,
    )


def record(owner, *, jp="6", status="submitted", verifier=None, days_ago=5, **values):
    """A record of one day, `days_ago` days back; verified through the service when a
    `verifier` is given."""
    day = timezone.localdate() - timedelta(days=days_ago)
    made = DevelopmentRecordFactory(
        owner=owner,
        start_date=day,
        end_date=day,
        jp=Decimal(jp),
        form=values.pop("form", form_of("workshop")),
        **values,
    )
    if verifier is not None:
        return development_services.record_verify(record=made, verifier=verifier)
    return made
