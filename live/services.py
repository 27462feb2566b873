"""Writing live sessions: trainers schedule, edit and cancel a cohort's sessions and record who
attended; each person makes, renews or revokes their calendar address. Every function refuses
bad input with a `ValidationError` whose message says what to fix, and saves nothing then.

Attended hours and JP. A cohort's course already brings its JP to each member who completes it
(`Enrollment.jp_credited`, counted by `development.ledger`). A live session is time spent with
the cohort beyond the course's own lessons, so the hours a member attended count on their own,
as a development record verified by the trainer who took attendance
(`development.services.record_attest`): online sessions under the non-classroom form "Pelatihan
jarak jauh", sessions only in a place under the classroom form "Jalur klasikal lainnya". The
hours are the session's length, the JP those hours give (`LENTERA_MINUTES_PER_JP`) within the
form's caps, in the year of the session. Being a verified record, they reach every JP figure
without a change to any of them: the learner's ledger and history, the JP CSV, the API, the
SIASN export and the agency compliance report. Saving the attendance again changes nothing;
correcting someone to absent revokes their record (its JP no longer count), and to present again
verifies the same record again: one record per member and session, whatever the corrections.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cohorts.models import Cohort, CohortMembership
from content.inputs import validate_single_line
from development import services as development_services
from development.models import DevelopmentForm, DevelopmentRecord
from learners.models import User
from live.models import (
    NOTES_MAX,
    PLACE_MAX,
    TITLE_MAX,
    URL_MAX,
    Attendance,
    CalendarFeed,
    LiveSession,
    SessionNotice,
    TimeZone,
    feed_token,
)
from live.permissions import MEMBER_STATUSES
from live.tasks import session_notices_deliver
from notifications.models import Notification
from notifications.services import notify_many

#: The longest session: a working day with its breaks (longer events are several sessions).
MAX_HOURS = 12
#: The development forms attended hours are recorded under (development's seeded forms).
FORM_ONLINE = "pelatihan-jarak-jauh"
FORM_IN_PLACE = "klasikal-lainnya"

_https = URLValidator(schemes=["https"])


def _check(
    *,
    cohort: Cohort,
    title: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
    time_zone: str,
    url: str,
    place: str,
    notes: str,
    session: LiveSession | None,
    now: datetime,
) -> None:
    """The rules of a session's fields; every broken one is reported at once."""
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not title:
        refuse("title", _("Give the session a title."))
    elif len(title) > TITLE_MAX:
        refuse("title", _("A title has at most %(max)s characters.") % {"max": TITLE_MAX})
    else:
        try:
            validate_single_line(title)
        except ValidationError as error:
            errors.setdefault("title", []).extend(error.messages)
    if not url and not place:
        refuse(NON_FIELD_ERRORS, _("Give a virtual classroom link or a place (or both)."))
    if url:
        try:
            _https(url)
        except ValidationError:
            refuse("url", _("The virtual classroom link must be a full https:// address."))
    for field, value, limit in (
        ("url", url, URL_MAX),
        ("place", place, PLACE_MAX),
        ("notes", notes, NOTES_MAX),
    ):
        if len(value) > limit:
            refuse(field, _("At most %(max)s characters, please shorten it.") % {"max": limit})
    if place:
        try:
            validate_single_line(place)
        except ValidationError as error:
            errors.setdefault("place", []).extend(error.messages)
    if time_zone not in TimeZone.values:
        refuse("time_zone", _("Choose one of Indonesia's time zones."))
    elif starts_at is None or ends_at is None:
        refuse("starts_at", _("Give the session's date, start and end."))
    else:
        times_changed = session is None or (starts_at, ends_at) != (
            session.starts_at,
            session.ends_at,
        )
        if ends_at <= starts_at:
            refuse("ends_at", _("A session cannot end before it starts."))
        elif ends_at - starts_at > timedelta(hours=MAX_HOURS):
            refuse(
                "ends_at",
                _("A live session lasts at most %(hours)s hours: split a longer event.")
                % {"hours": MAX_HOURS},
            )
        if session is None and starts_at <= now:
            refuse("starts_at", _("A new session cannot start in the past."))
        elif session is not None and times_changed:
            if session.starts_at <= now:
                refuse("starts_at", _("The times of a session that has started cannot change."))
            elif starts_at <= now:
                refuse("starts_at", _("A session cannot be moved into the past."))
        day = timezone.localtime(starts_at, ZoneInfo(time_zone)).date()
        if times_changed and not cohort.starts_on <= day <= cohort.ends_on:
            refuse(
                "starts_at",
                _("A session takes place during the cohort, from %(start)s to %(end)s.")
                % {
                    "start": date_format(cohort.starts_on, "j F Y"),
                    "end": date_format(cohort.ends_on, "j F Y"),
                },
            )
    if errors:
        raise ValidationError(errors)


def _save(session: LiveSession) -> LiveSession:
    # Field lengths and choices (place, notes, link, time zone) in Django's own words.
    session.full_clean(exclude=["cohort", "created_by"])
    session.save()
    return session


def _members_tell(session: LiveSession, *, change: str, actor: User | None) -> None:
    """Tell the cohort's members of a change to `session`: a notification each now, and an
    e-mail each once the change commits (one `SessionNotice` per member, so a retried task
    sends nobody a second copy). Members: those who see the cohort's sessions."""
    member_ids = list(
        CohortMembership.objects.filter(
            cohort_id=session.cohort_id, enrollment__status__in=MEMBER_STATUSES
        ).values_list("enrollment__user_id", flat=True)
    )
    if not member_ids:
        return
    SessionNotice.objects.bulk_create(
        [
            SessionNotice(
                session=session, sequence=session.sequence, change=change, recipient_id=user_id
            )
            for user_id in member_ids
        ],
        ignore_conflicts=True,
    )
    notify_many(
        recipients=member_ids,
        kind=Notification.Kind.SESSION_CANCELLED
        if change == SessionNotice.Change.CANCELLED
        else Notification.Kind.SESSION_SCHEDULED,
        actor=actor,
        subject=session.title,
        url=reverse("live:cohort_sessions", args=[session.cohort_id]),
    )
    session_id, sequence = session.pk, session.sequence
    transaction.on_commit(
        lambda: session_notices_deliver.enqueue(session_id=session_id, sequence=sequence)
    )


@transaction.atomic
def session_create(
    *,
    cohort: Cohort,
    created_by: User,
    title: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
    time_zone: str = "Asia/Jakarta",
    url: str = "",
    place: str = "",
    notes: str = "",
) -> LiveSession:
    """Schedule a session of `cohort` (its trainer's action; the view checks who)."""
    title, url, place, notes = title.strip(), url.strip(), place.strip(), notes.strip()
    _check(
        cohort=cohort,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=time_zone,
        url=url,
        place=place,
        notes=notes,
        session=None,
        now=timezone.now(),
    )
    session = _save(
        LiveSession(
            cohort=cohort,
            created_by=created_by,
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            time_zone=time_zone,
            url=url,
            place=place,
            notes=notes,
        )
    )
    _members_tell(session, change=SessionNotice.Change.SCHEDULED, actor=created_by)
    return session


@transaction.atomic
def session_update(
    *,
    session: LiveSession,
    title: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
    time_zone: str = "Asia/Jakarta",
    url: str = "",
    place: str = "",
    notes: str = "",
    changed_by: User | None = None,
) -> LiveSession:
    """Change a session: anything before it starts; once started, all but its times (the hours
    attended are counted from them). A cancelled session stays as it was. The members are told
    (`_members_tell`) when its time or its place or link changed, not for its title or notes."""
    session = (
        LiveSession.objects.select_for_update(of=("self",))
        .select_related("cohort")
        .get(pk=session.pk)
    )
    if session.is_cancelled:
        raise ValidationError(_("A cancelled session cannot be changed."), code="cancelled")
    title, url, place, notes = title.strip(), url.strip(), place.strip(), notes.strip()
    _check(
        cohort=session.cohort,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=time_zone,
        url=url,
        place=place,
        notes=notes,
        session=session,
        now=timezone.now(),
    )
    when_or_where = (
        session.starts_at,
        session.ends_at,
        session.time_zone,
        session.url,
        session.place,
    )
    session.title, session.starts_at, session.ends_at = title, starts_at, ends_at
    session.time_zone, session.url, session.place, session.notes = time_zone, url, place, notes
    session.sequence += 1
    session = _save(session)
    if when_or_where != (starts_at, ends_at, time_zone, url, place):
        _members_tell(session, change=SessionNotice.Change.RESCHEDULED, actor=changed_by)
    return session


@transaction.atomic
def session_cancel(*, session: LiveSession, cancelled_by: User | None = None) -> LiveSession:
    """Cancel a session that has not started: it stays listed, and in calendars, as cancelled;
    the members are told (`_members_tell`)."""
    session = LiveSession.objects.select_for_update().get(pk=session.pk)
    if session.is_cancelled:
        raise ValidationError(_("This session is already cancelled."), code="cancelled")
    if session.starts_at <= timezone.now():
        raise ValidationError(_("A session that has started cannot be cancelled."), code="started")
    session.status = LiveSession.Status.CANCELLED
    session.sequence += 1
    session.save(update_fields=["status", "sequence", "updated_at"])
    _members_tell(session, change=SessionNotice.Change.CANCELLED, actor=cancelled_by)
    return session


@dataclass
class AttendanceResult:
    """What one saving of a session's attendance changed."""

    counted: int = 0  # members whose attended hours count from now on
    withdrawn: int = 0  # members corrected to absent whose hours no longer count
    unchanged: int = 0


def session_hours(session: LiveSession) -> Decimal:
    """The session's length in hours, to two decimals: what attending it counts."""
    seconds = Decimal((session.ends_at - session.starts_at).total_seconds())
    return (seconds / 3600).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _record_texts(session: LiveSession, recorded_by: User) -> tuple[str, str]:
    """The record's title and note, in the platform's language (they reach SIASN): the time
    in the title keeps two sessions of one day with one title two records."""
    local = timezone.localtime(session.starts_at, ZoneInfo(session.time_zone))
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Live session: %(title)s (%(cohort)s, %(time)s)") % {
            "title": session.title,
            "cohort": session.cohort.name,
            "time": f"{local:%H:%M} {local.tzname()}",
        }
        note = _("Attendance recorded by the cohort's trainer %(trainer)s.") % {
            "trainer": recorded_by.full_name or recorded_by.email
        }
    return title[:255], note


def _form_for(session: LiveSession, forms: dict[str, DevelopmentForm]) -> DevelopmentForm:
    code = FORM_ONLINE if session.url else FORM_IN_PLACE
    if code not in forms:
        raise ValidationError(
            _("The development form %(code)s is missing: ask an administrator to restore it.")
            % {"code": code},
            code="form_missing",
        )
    return forms[code]


@transaction.atomic
def attendance_record(
    *, session: LiveSession, recorded_by: User, marks: Mapping[int, bool]
) -> AttendanceResult:
    """Record who attended `session` (membership id -> present) in one transaction: attended
    hours count toward each member's JP once (see the module's docstring), corrections to absent
    take them back. Members left out of `marks` keep what was recorded for them."""
    session = (
        LiveSession.objects.select_for_update(of=("self",))
        .select_related("cohort__course__provider")
        .get(pk=session.pk)
    )
    if session.is_cancelled:
        raise ValidationError(_("A cancelled session has no attendance."), code="cancelled")
    if session.starts_at > timezone.now():
        raise ValidationError(
            _("Attendance is recorded once the session has started."), code="not_started"
        )
    memberships = {
        membership.pk: membership
        for membership in CohortMembership.objects.filter(
            cohort_id=session.cohort_id, pk__in=list(marks), enrollment__status__in=MEMBER_STATUSES
        ).select_related("enrollment__user")
    }
    if set(marks) - set(memberships):
        raise ValidationError(
            _("Someone on the list is no longer a member of this cohort: reload the page."),
            code="not_a_member",
        )
    recorded = {
        attendance.membership_id: attendance
        for attendance in Attendance.objects.select_for_update(of=("self",))
        .select_related("record")
        .filter(session=session, membership_id__in=list(marks))
    }
    forms = {
        form.code: form
        for form in DevelopmentForm.objects.filter(code__in=(FORM_ONLINE, FORM_IN_PLACE))
    }
    title, note = _record_texts(session, recorded_by)
    result = AttendanceResult()
    for membership_id, present in marks.items():
        attendance = recorded.get(membership_id)
        record = attendance.record if attendance else None
        counts = record is not None and record.status == DevelopmentRecord.Status.VERIFIED
        if attendance is not None and attendance.present == present and counts == present:
            result.unchanged += 1
            continue
        if attendance is None:
            attendance = Attendance(session=session, membership_id=membership_id)
        learner = memberships[membership_id].enrollment.user
        if present:
            try:
                record = development_services.record_attest(
                    record=record,
                    owner=learner,
                    form=_form_for(session, forms),
                    title=title,
                    day=timezone.localtime(session.starts_at, ZoneInfo(session.time_zone)).date(),
                    hours=session_hours(session),
                    organizer=session.cohort.course.provider.name,
                    report=note,
                    witness=recorded_by,
                )
            except ValidationError as error:
                raise ValidationError(
                    _("The hours of %(name)s cannot be recorded: %(reason)s")
                    % {"name": learner.full_name, "reason": " ".join(error.messages)},
                    code="record",
                ) from error
            result.counted += 1
        elif record is not None and counts:
            development_services.record_attestation_withdraw(
                record=record, witness=recorded_by, reason=note
            )
            result.withdrawn += 1
        else:
            result.unchanged += 1
        attendance.present = present
        attendance.record = record
        attendance.recorded_by = recorded_by
        attendance.save()
    return result


@transaction.atomic
def calendar_feed_renew(*, user: User) -> CalendarFeed:
    """Give `user` a calendar address, or a new one: the old address stops working at once."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    if not created:
        feed.token = feed_token()
        feed.save(update_fields=["token"])
    return feed


def calendar_feed_revoke(*, user: User) -> None:
    """Stop `user`'s calendar address working (calendar apps get 404 from then on)."""
    CalendarFeed.objects.filter(user=user).delete()
