"""A person's calendar address is a credential: erasing the account deletes it, and its feed
answers 404 from then on; the hours they attended stay as their (anonymised) records."""

import pytest
from django.test import Client
from django.urls import reverse

from development.models import DevelopmentRecord
from live import services
from live.models import CalendarFeed
from privacy.erasure import account_erase

pytestmark = pytest.mark.django_db


def test_erasing_the_account_deletes_the_calendar_address(held, cohort, member, trainer):
    membership = cohort.memberships.get(enrollment__user=member)
    services.attendance_record(session=held, recorded_by=trainer, marks={membership.pk: True})
    url = reverse("live:feed", args=[services.calendar_feed_renew(user=member).token])
    assert Client().get(url).status_code == 200

    account_erase(user=member)

    assert not CalendarFeed.objects.filter(user=member).exists()
    assert Client().get(url).status_code == 404
    assert DevelopmentRecord.objects.filter(owner=member, live_attendance__session=held).exists()
