"""The calendar feed and the per-session download, parsed back with `icalendar`: events, their
times in the session's time zone, stable UIDs, cancelled sessions, and a token that is refused
when wrong, renewed or revoked."""

from datetime import UTC
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from cohorts.services import cohort_create
from live import services
from live.ics import event_uid
from tests.live.conftest import past_session, tomorrow_at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_interface")]


def _feed_url(user) -> str:
    return reverse("live:feed", args=[services.calendar_feed_renew(user=user).token])


def _events(response) -> dict[str, object]:
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_feed_lists_the_cohort_sessions_without_a_session_cookie(upcoming, held, member):
    response = Client().get(_feed_url(member))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    events = _events(response)
    assert set(events) == {event_uid(upcoming), event_uid(held)}
    event = events[event_uid(upcoming)]
    assert str(event["SUMMARY"]) == "Kelas daring: SKP"
    assert event["STATUS"] == "CONFIRMED"
    start = event.decoded("DTSTART")
    assert start == upcoming.starts_at
    assert str(start.tzinfo) == "Asia/Jakarta"
    assert event["DTSTART"].params["TZID"] == "Asia/Jakarta"
    assert event.decoded("DTEND") == upcoming.ends_at
    assert event.decoded("DTSTAMP").utcoffset().total_seconds() == 0  # UTC
    assert str(event["URL"]) == "https://meet.example.go.id/skp"


def test_a_session_in_another_time_zone_keeps_its_tzid(cohort, trainer, member):
    jayapura = ZoneInfo("Asia/Jayapura")
    starts_at = tomorrow_at(9).astimezone(jayapura).replace(hour=9, minute=0)
    session = services.session_create(
        cohort=cohort,
        created_by=trainer,
        title="Kelas Papua",
        starts_at=starts_at,
        ends_at=starts_at.replace(hour=11),
        time_zone="Asia/Jayapura",
        place="Kantor Regional IX, Jayapura",
    )
    event = _events(Client().get(_feed_url(member)))[event_uid(session)]
    assert event["DTSTART"].params["TZID"] == "Asia/Jayapura"
    assert event.decoded("DTSTART") == starts_at
    assert event.decoded("DTSTART").astimezone(UTC) == session.starts_at.astimezone(UTC)
    assert str(event["LOCATION"]) == "Kantor Regional IX, Jayapura"


def test_edited_and_cancelled_sessions_keep_their_uid(upcoming, member):
    url = _feed_url(member)
    services.session_update(
        session=upcoming,
        title="Kelas daring: SKP (diundur)",
        starts_at=tomorrow_at(13),
        ends_at=tomorrow_at(14),
        url=upcoming.url,
    )
    services.session_cancel(session=upcoming)
    event = _events(Client().get(url))[event_uid(upcoming)]
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 2
    assert event.decoded("DTSTART") == tomorrow_at(13)


def test_feed_holds_only_the_owner_cohorts(course_a, trainer, upcoming, member, outsider):
    other_cohort = cohort_create(
        course=course_a,
        name="Angkatan II",
        starts_on=upcoming.cohort.starts_on,
        ends_on=upcoming.cohort.ends_on,
        created_by=trainer,
    )
    other = past_session(other_cohort, title="Sesi angkatan lain")
    assert event_uid(other) not in _events(Client().get(_feed_url(member)))
    assert _events(Client().get(_feed_url(outsider))) == {}
    # The trainer's feed holds the sessions of both cohorts they train.
    assert {event_uid(upcoming), event_uid(other)} <= set(_events(Client().get(_feed_url(trainer))))


def test_wrong_renewed_or_revoked_token_is_refused(upcoming, member):
    client = Client()
    assert client.get(reverse("live:feed", args=["tebakan-token"])).status_code == 404
    old = _feed_url(member)
    new = _feed_url(member)  # renewed
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    services.calendar_feed_revoke(user=member)
    assert client.get(new).status_code == 404


def test_a_deactivated_account_feed_stops(upcoming, member):
    url = _feed_url(member)
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert Client().get(url).status_code == 404


def test_a_session_download_for_members_and_trainers_only(
    client_for, upcoming, member, trainer, outsider, course_trainer
):
    url = reverse("live:session_ics", args=[upcoming.pk])
    for user in (member, trainer):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        assert list(_events(response)) == [event_uid(upcoming)]
    for user in (outsider, course_trainer):
        assert client_for(user).get(url).status_code == 404
