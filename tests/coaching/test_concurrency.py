"""Two confirmations racing (a double click, two tabs) make one development record: the session
row is locked while its confirmation is decided."""

from functools import partial

import pytest

from coaching import services
from coaching.factories import CoachingAgreementFactory, CoachingSessionFactory
from development.models import DevelopmentRecord
from tests.utils import race

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("concurrent_database"),
]


def test_racing_confirmations_make_one_record(coachee, supervisor):
    agreement = CoachingAgreementFactory(coachee=coachee, coach=supervisor)
    session = CoachingSessionFactory(agreement=agreement)

    outcomes = race(
        *[partial(services.session_confirm, session=session, user=supervisor) for _n in range(3)]
    )

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert len({outcome.record_id for outcome in outcomes}) == 1
    assert DevelopmentRecord.objects.filter(owner=coachee).count() == 1
