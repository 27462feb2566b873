"""A cohort announcement's e-mails: one per member, in their language (the site's default unless
their profile prefers another), with the trainer as Reply-To; a second run sends nothing again."""

import pytest
from django.utils import translation
from wagtail.users.models import UserProfile

from discussions import services
from discussions.errors import DiscussionError
from discussions.models import AnnouncementDelivery
from discussions.tasks import announcement_deliver
from learners.models import Enrollment

pytestmark = pytest.mark.django_db


def _announce(cohort, trainer, on_commit):
    with on_commit(execute=True):
        return services.announcement_create(
            cohort=cohort,
            author=trainer,
            title="Sesi daring Kamis",
            body="Sesi daring dimulai pukul 09.00 WIB.\nTautan: https://zoom.example/j/1",
        )


def test_announcement_mails_each_member_once_with_the_trainer_as_reply_to(
    cohort, trainer, member, other_member, mailoutbox, django_capture_on_commit_callbacks
):
    announcement = _announce(cohort, trainer, django_capture_on_commit_callbacks)
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        [member.email, other_member.email]
    )
    message = mailoutbox[0]
    assert message.reply_to == [trainer.email]
    assert "Sesi daring Kamis" in message.subject and "Angkatan I" in message.subject
    assert "https://zoom.example/j/1" in message.body
    assert "/diskusi/kelas/" in message.body
    assert not AnnouncementDelivery.objects.filter(sent_at=None).exists()
    # Run again (a retry): nothing goes twice.
    assert announcement_deliver.call(announcement_id=announcement.pk) == 0
    assert len(mailoutbox) == 2


def test_announcement_skips_withdrawn_members(
    cohort, trainer, member, other_member, mailoutbox, django_capture_on_commit_callbacks
):
    Enrollment.objects.filter(user=other_member).update(status=Enrollment.Status.WITHDRAWN)
    _announce(cohort, trainer, django_capture_on_commit_callbacks)
    assert [message.to for message in mailoutbox] == [[member.email]]


def test_announcement_mail_is_in_the_sites_language_whatever_the_trainers(
    settings, cohort, trainer, member, mailoutbox, django_capture_on_commit_callbacks
):
    # Without a preferred language the e-mail is in the site's default, Indonesian, even when
    # the trainer posts from the English interface.
    settings.LANGUAGE_CODE = "id"
    with translation.override("en"):
        _announce(cohort, trainer, django_capture_on_commit_callbacks)
    [message] = mailoutbox
    assert message.subject.startswith("Pengumuman untuk Angkatan I")
    assert message.body.startswith(f"Yth. {member.full_name},")


def test_only_the_cohorts_trainers_announce(cohort, member, mailoutbox):
    with pytest.raises(DiscussionError):
        services.announcement_create(cohort=cohort, author=member, title="Hai", body="Halo")
    assert not mailoutbox


def test_each_member_gets_the_announcement_in_their_preferred_language(
    settings, cohort, trainer, member, other_member, mailoutbox, django_capture_on_commit_callbacks
):
    settings.LANGUAGE_CODE = "id"
    profile = UserProfile.get_for_user(other_member)
    profile.preferred_language = "en"
    profile.save()
    _announce(cohort, trainer, django_capture_on_commit_callbacks)
    by_address = {message.to[0]: message for message in mailoutbox}
    indonesian, english = by_address[member.email], by_address[other_member.email]
    assert indonesian.subject.startswith("Pengumuman untuk Angkatan I")
    assert f"/diskusi/kelas/{cohort.pk}/" in indonesian.body and "/en/" not in indonesian.body
    assert english.subject.startswith("Announcement for Angkatan I")
    assert english.body.startswith(f"Dear {other_member.full_name},")
    assert f"/en/diskusi/kelas/{cohort.pk}/" in english.body
