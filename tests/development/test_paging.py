"""The learner's records and the verification queue come a page at a time: a supervisor of a
large team, or someone with years of records, still gets a light page."""

import pytest
from django.urls import reverse

from development.factories import DevelopmentRecordFactory
from development.views import RECORDS_PER_PAGE
from learners.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_queue_of_a_large_team_is_paged(supervisor, organization, client_for):
    for n in range(RECORDS_PER_PAGE + 1):
        member = UserFactory(
            email=f"staf{n}@ku.go.id", organization=organization, supervised_by=supervisor
        )
        DevelopmentRecordFactory(owner=member)
    client = client_for(supervisor)
    first = client.get(reverse("development:verification_queue"))
    assert len(first.context["records"]) == RECORDS_PER_PAGE
    assert 'rel="next"' in first.content.decode()
    second = client.get(reverse("development:verification_queue") + "?page=2")
    assert len(second.context["records"]) == 1
    # A page beyond the last, or not a number, shows the last or the first.
    assert client.get(reverse("development:verification_queue") + "?page=99").status_code == 200
    assert client.get(reverse("development:verification_queue") + "?page=x").status_code == 200


def test_my_records_are_paged(owner, client_for):
    DevelopmentRecordFactory.create_batch(RECORDS_PER_PAGE + 2, owner=owner)
    client = client_for(owner)
    first = client.get(reverse("development:record_list"))
    assert len(first.context["records"]) == RECORDS_PER_PAGE
    second = client.get(reverse("development:record_list") + "?page=2")
    assert len(second.context["records"]) == 2
    assert 'rel="prev"' in second.content.decode()
