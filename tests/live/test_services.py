"""Scheduling, changing and cancelling sessions, bad input, and attendance whose hours count
toward the learner's JP once (as a development record verified by the trainer)."""

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from development.ledger import current_year, jp_ledger
from development.models import DevelopmentRecord
from live import services
from live.models import Attendance, CalendarFeed, LiveSession
from tests.live.conftest import past_session, tomorrow_at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_interface")]


def _schedule(cohort, trainer, **overrides):
    arguments = {
        "cohort": cohort,
        "created_by": trainer,
        "title": "Kelas daring",
        "starts_at": tomorrow_at(9),
        "ends_at": tomorrow_at(11),
        "url": "https://meet.example.go.id/kelas",
    }
    arguments.update(overrides)
    return services.session_create(**arguments)


def _membership(cohort, user):
    return cohort.memberships.get(enrollment__user=user)


def _earned(user) -> Decimal:
    return jp_ledger(user=user, year=current_year()).earned


def test_session_create_keeps_the_instant_and_its_time_zone(cohort, trainer):
    makassar = ZoneInfo("Asia/Makassar")
    day = timezone.localdate() + timedelta(days=2)
    starts_at = datetime.combine(day, time(13), tzinfo=makassar)
    session = _schedule(
        cohort,
        trainer,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        time_zone="Asia/Makassar",
        url="",
        place="Aula Gedung B",
    )
    session.refresh_from_db()
    assert session.starts_at == starts_at
    assert session.starts_at.astimezone(makassar).hour == 13
    assert session.time_zone == "Asia/Makassar"
    assert session.status == LiveSession.Status.SCHEDULED


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"starts_at": tomorrow_at(11), "ends_at": tomorrow_at(10)},
            "ends_at",
            "A session cannot end before it starts.",
        ),
        (
            {"starts_at": tomorrow_at(11), "ends_at": tomorrow_at(11)},
            "ends_at",
            "A session cannot end before it starts.",
        ),
        (
            {"starts_at": tomorrow_at(6), "ends_at": tomorrow_at(19)},
            "ends_at",
            "A live session lasts at most 12 hours: split a longer event.",
        ),
        (
            {
                "starts_at": timezone.now() - timedelta(hours=1),
                "ends_at": timezone.now() + timedelta(hours=1),
            },
            "starts_at",
            "A new session cannot start in the past.",
        ),
        (
            {"url": "http://meet.example.go.id/kelas"},
            "url",
            "The virtual classroom link must be a full https:// address.",
        ),
        (
            {"url": "javascript:alert(1)"},
            "url",
            "The virtual classroom link must be a full https:// address.",
        ),
        (
            {"url": "", "place": ""},
            "__all__",
            "Give a virtual classroom link or a place (or both).",
        ),
        ({"title": "   "}, "title", "Give the session a title."),
        ({"title": "x" * 201}, "title", "A title has at most 200 characters."),
        ({"time_zone": "Europe/Paris"}, "time_zone", "Choose one of Indonesia's time zones."),
    ],
)
def test_bad_input_is_refused_with_its_reason_and_nothing_is_saved(
    cohort, trainer, overrides, field, message
):
    with pytest.raises(ValidationError) as refused:
        _schedule(cohort, trainer, **overrides)
    assert message in refused.value.message_dict[field]
    assert not LiveSession.objects.exists()


def test_overlong_notes_and_place_are_refused(cohort, trainer):
    with pytest.raises(ValidationError) as refused:
        _schedule(cohort, trainer, notes="n" * 2001, place="p" * 256)
    assert {"notes", "place"} <= set(refused.value.message_dict)
    assert not LiveSession.objects.exists()


def test_a_session_outside_the_cohort_dates_is_refused(cohort, trainer):
    later = timezone.localtime() + timedelta(days=40)
    with pytest.raises(ValidationError) as refused:
        _schedule(cohort, trainer, starts_at=later, ends_at=later + timedelta(hours=1))
    assert "during the cohort" in refused.value.message_dict["starts_at"][0]


def test_title_with_a_line_break_is_refused(cohort, trainer):
    with pytest.raises(ValidationError) as refused:
        _schedule(cohort, trainer, title="Kelas\nBCC: semua")
    assert "title" in refused.value.message_dict


def test_editing_raises_the_sequence_and_keeps_the_uid(upcoming):
    uid = upcoming.uid
    changed = services.session_update(
        session=upcoming,
        title="Kelas daring: SKP (diundur)",
        starts_at=tomorrow_at(13),
        ends_at=tomorrow_at(14),
        url=upcoming.url,
    )
    assert (changed.uid, changed.sequence) == (uid, 1)
    assert changed.starts_at == tomorrow_at(13)


def test_the_times_of_a_started_session_cannot_change_but_its_notes_can(held):
    with pytest.raises(ValidationError) as refused:
        services.session_update(
            session=held,
            title=held.title,
            starts_at=held.starts_at + timedelta(hours=1),
            ends_at=held.ends_at + timedelta(hours=1),
            url=held.url,
        )
    assert "cannot change" in refused.value.message_dict["starts_at"][0]
    changed = services.session_update(
        session=held,
        title=held.title,
        starts_at=held.starts_at,
        ends_at=held.ends_at,
        url=held.url,
        notes="Rekaman tersedia.",
    )
    assert changed.notes == "Rekaman tersedia."


def test_cancelled_session_stays_listed_as_cancelled_and_cannot_change(upcoming):
    services.session_cancel(session=upcoming)
    upcoming.refresh_from_db()
    assert upcoming.status == LiveSession.Status.CANCELLED
    assert upcoming.sequence == 1
    assert LiveSession.objects.filter(pk=upcoming.pk).exists()
    with pytest.raises(ValidationError, match="already cancelled"):
        services.session_cancel(session=upcoming)
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.session_update(
            session=upcoming,
            title="X",
            starts_at=upcoming.starts_at,
            ends_at=upcoming.ends_at,
            url=upcoming.url,
        )


def test_a_started_session_cannot_be_cancelled(held):
    with pytest.raises(ValidationError, match="has started"):
        services.session_cancel(session=held)


def test_attended_hours_count_toward_jp_once(held, trainer, member, cohort):
    before = _earned(member)
    membership = _membership(cohort, member)
    result = services.attendance_record(
        session=held, recorded_by=trainer, marks={membership.pk: True}
    )
    assert result.counted == 1
    record = DevelopmentRecord.objects.get(owner=member)
    # 90 minutes = 2 JP of 45 minutes
    assert (record.status, record.hours, record.jp_credited) == (
        DevelopmentRecord.Status.VERIFIED,
        Decimal("1.50"),
        Decimal("2.00"),
    )
    assert record.decided_by == trainer
    assert record.form.code == services.FORM_ONLINE
    assert _earned(member) == before + Decimal("2.00")

    again = services.attendance_record(
        session=held, recorded_by=trainer, marks={membership.pk: True}
    )
    assert (again.counted, again.unchanged) == (0, 1)
    assert DevelopmentRecord.objects.filter(owner=member).count() == 1
    assert _earned(member) == before + Decimal("2.00")


def test_correcting_to_absent_takes_the_hours_back_and_present_again_restores_them(
    held, trainer, member, cohort
):
    membership = _membership(cohort, member)
    services.attendance_record(session=held, recorded_by=trainer, marks={membership.pk: True})
    corrected = services.attendance_record(
        session=held, recorded_by=trainer, marks={membership.pk: False}
    )
    assert corrected.withdrawn == 1
    record = DevelopmentRecord.objects.get(owner=member)
    assert (record.status, record.jp_credited) == (DevelopmentRecord.Status.REVOKED, 0)
    assert _earned(member) == 0
    assert Attendance.objects.get(session=held, membership=membership).present is False

    services.attendance_record(session=held, recorded_by=trainer, marks={membership.pk: True})
    assert DevelopmentRecord.objects.filter(owner=member).count() == 1
    assert _earned(member) == Decimal("2.00")


def test_a_session_in_a_place_counts_as_classroom_training(cohort, trainer, member):
    session = past_session(cohort, url="", place="Aula Gedung B", minutes=180)
    services.attendance_record(
        session=session, recorded_by=trainer, marks={_membership(cohort, member).pk: True}
    )
    record = DevelopmentRecord.objects.get(owner=member)
    assert record.form.code == services.FORM_IN_PLACE
    assert record.jp_credited == Decimal("4.00")


def test_two_sessions_with_one_title_on_one_day_are_two_records(cohort, trainer, member):
    morning = past_session(cohort, title="Kelas")
    afternoon = past_session(cohort, title="Kelas")
    afternoon.starts_at += timedelta(hours=5)
    afternoon.ends_at += timedelta(hours=5)
    afternoon.save()
    marks = {_membership(cohort, member).pk: True}
    services.attendance_record(session=morning, recorded_by=trainer, marks=marks)
    services.attendance_record(session=afternoon, recorded_by=trainer, marks=marks)
    assert DevelopmentRecord.objects.filter(owner=member).count() == 2
    assert _earned(member) == Decimal("4.00")


def test_attendance_of_a_session_not_started_or_cancelled_is_refused(
    upcoming, cohort, trainer, member
):
    marks = {_membership(cohort, member).pk: True}
    with pytest.raises(ValidationError, match="once the session has started"):
        services.attendance_record(session=upcoming, recorded_by=trainer, marks=marks)
    services.session_cancel(session=upcoming)
    with pytest.raises(ValidationError, match="cancelled session has no attendance"):
        services.attendance_record(session=upcoming, recorded_by=trainer, marks=marks)
    assert not Attendance.objects.exists()


def test_someone_outside_the_cohort_on_the_list_saves_nothing(
    held, cohort, trainer, member, other_member
):
    other = _membership(cohort, other_member)
    other.enrollment.status = "withdrawn"
    other.enrollment.save(update_fields=["status"])
    with pytest.raises(ValidationError, match="no longer a member"):
        services.attendance_record(
            session=held,
            recorded_by=trainer,
            marks={_membership(cohort, member).pk: True, other.pk: True},
        )
    assert not Attendance.objects.exists()
    assert not DevelopmentRecord.objects.exists()


def test_calendar_feed_renew_replaces_the_token_and_revoke_removes_it(member):
    first = services.calendar_feed_renew(user=member).token
    second = services.calendar_feed_renew(user=member).token
    assert first != second
    assert len(second) >= 43  # 256 random bits
    services.calendar_feed_revoke(user=member)
    assert not CalendarFeed.objects.filter(user=member).exists()
