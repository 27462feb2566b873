"""Recording and reading the audit log (audit.services, audit.selectors) on their own."""

from datetime import datetime, time, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from audit.models import AuditEvent
from audit.selectors import audit_events
from audit.services import Action, audit_record, audit_record_many
from content.factories import OrganizationFactory
from learners.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_event_takes_one_query_and_names_its_actor(django_assert_num_queries):
    organization = OrganizationFactory()
    actor = UserFactory(full_name="Admin SDM")
    subject = UserFactory()
    with django_assert_num_queries(1):
        event = audit_record(
            actor, Action.RECORD_VIEWED, organization=organization.pk, subject=subject
        )
    event.refresh_from_db()
    assert (event.actor, event.actor_label, event.subject_user) == (actor, str(actor), subject)
    assert event.organization == organization


def test_an_anonymous_or_unsaved_actor_is_recorded_as_nobody():
    assert audit_record(AnonymousUser(), Action.EXPORT).actor is None
    unsaved = UserFactory.build()
    event = audit_record(unsaved, Action.EXPORT, target="x" * 300, detail=None)
    assert (event.actor, event.actor_label, event.detail) == (None, "", {})
    assert len(event.target) == 255


def test_an_export_is_one_event_in_each_organization_log_in_one_query(
    django_assert_num_queries,
):
    first, second = OrganizationFactory(), OrganizationFactory()
    actor = UserFactory()
    with django_assert_num_queries(1):
        audit_record_many(actor, Action.EXPORT, organizations=[first, second.pk, first, None])
    logged = AuditEvent.objects.values_list("organization_id", flat=True)
    assert sorted(logged, key=lambda pk: pk or 0) == [None, first.pk, second.pk]


def test_the_log_is_read_by_organization_action_and_whole_days():
    organization = OrganizationFactory()
    today = timezone.localdate()
    start_of_today = timezone.make_aware(datetime.combine(today, time.min))
    kept = audit_record(None, Action.EXPORT, organization=organization)
    yesterday = audit_record(None, Action.EXPORT, organization=organization)
    AuditEvent.objects.filter(pk=yesterday.pk).update(
        created_at=start_of_today - timedelta(seconds=1)
    )
    audit_record(None, Action.REPORT_VIEWED, organization=organization)
    audit_record(None, Action.EXPORT, organization=OrganizationFactory())

    found = audit_events(organization_id=organization.pk, action=Action.EXPORT, date_from=today)
    assert list(found) == [kept]
    until_yesterday = audit_events(
        organization_id=organization.pk, date_to=today - timedelta(days=1)
    )
    assert [event.pk for event in until_yesterday] == [yesterday.pk]
    assert audit_events(organization_id=None).count() == 4
