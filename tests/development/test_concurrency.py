"""Verifications racing for the same yearly cap credit it once: the owner's row is locked while a
record's credit is decided (PostgreSQL), and SQLite's IMMEDIATE transactions take turns."""

from datetime import timedelta
from decimal import Decimal
from functools import partial

import pytest
from django.db.models import Sum
from django.utils import timezone

from development import services
from development.factories import DevelopmentRecordFactory, form_of
from development.models import DevelopmentRecord
from tests.utils import race

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("concurrent_database"),
]


def test_racing_verifications_credit_the_yearly_cap_once(owner, hr, supervisor):
    day = timezone.localdate() - timedelta(days=2)
    records = [
        DevelopmentRecordFactory(
            owner=owner,
            form=form_of("belajar-mandiri"),  # at most 10 JP a year
            jp=Decimal("6"),
            start_date=day,
            end_date=day,
        )
        for _n in range(4)
    ]
    verifiers = [hr, supervisor, hr, supervisor]

    outcomes = race(
        *[
            partial(services.record_verify, record=record, verifier=verifier)
            for record, verifier in zip(records, verifiers, strict=True)
        ]
    )

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    verified = DevelopmentRecord.objects.filter(owner=owner, status="verified")
    assert verified.count() == 4
    assert verified.aggregate(total=Sum("jp_credited"))["total"] == Decimal("10")
    assert sorted(verified.values_list("jp_credited", flat=True)) == [0, 0, 4, 6]
