"""What tells people something, besides discussions, assignments and change projects (whose
own tests cover theirs): a trainer's cohort reminders."""

import pytest

from cohorts.services import reminders_send
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_a_cohort_reminder_is_a_notification_once_a_day(cohort, trainer, member, other_member):
    result = reminders_send(cohort=cohort, learner_ids=[member.pk], sent_by=trainer)
    assert result.queued == 1
    notification = Notification.objects.get()
    assert (notification.recipient, notification.actor) == (member, trainer)
    assert notification.kind == Notification.Kind.REMINDER
    assert notification.subject == cohort.course.title
    assert notification.url == "/saya/"
    # Reminded today already: no second reminder, no second notification.
    again = reminders_send(cohort=cohort, learner_ids=[member.pk, other_member.pk], sent_by=trainer)
    assert (again.queued, again.already_reminded_today) == (1, 1)
    assert sorted(Notification.objects.values_list("recipient", flat=True)) == sorted(
        [member.pk, other_member.pk]
    )
