"""The session form and the attendance form. Both only read what was typed; the rules (times,
links, who is a member) are in `live.services`, whose refusals land on these forms' fields."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from live.models import NOTES_MAX, PLACE_MAX, TITLE_MAX, URL_MAX, LiveSession, TimeZone
from live.selectors import AttendanceRow

#: The service's field names where the form asks differently (a date and two times).
_FIELD_OF = {"starts_at": "starts", "ends_at": "ends"}
# The browser's time and date pickers read and send ISO values, whatever the language.
_TIME = forms.TimeInput(format="%H:%M", attrs={"type": "time"})


class SessionForm(forms.Form):
    """Schedule or change a live session: a day, a start and an end in one time zone."""

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    starts = forms.TimeField(label=_("Starts"), widget=_TIME)
    ends = forms.TimeField(label=_("Ends"), widget=_TIME)
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=TimeZone.choices, initial=TimeZone.WIB
    )
    url = forms.CharField(
        label=_("Virtual classroom link"),
        required=False,
        max_length=URL_MAX,
        widget=forms.URLInput,
        help_text=_("An https:// address (Zoom, Google Meet, Microsoft Teams...)."),
    )
    place = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=PLACE_MAX,
        help_text=_(
            "A room and building, for a session held in person. Give a link, a place or both."
        ),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=NOTES_MAX, widget=forms.Textarea
    )

    @classmethod
    def for_session(cls, session: LiveSession, data=None) -> "SessionForm":
        zone = ZoneInfo(session.time_zone)
        starts, ends = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
        initial = {
            "title": session.title,
            "date": starts.date(),
            "starts": starts.time().replace(second=0, microsecond=0),
            "ends": ends.time().replace(second=0, microsecond=0),
            "time_zone": session.time_zone,
            "url": session.url,
            "place": session.place,
            "notes": session.notes,
        }
        return cls(data, initial=initial)

    def session_fields(self) -> dict:
        """The cleaned input as `services.session_create`'s arguments: the day and times made
        aware in the chosen time zone (a session does not cross midnight)."""
        data = self.cleaned_data
        zone = ZoneInfo(data["time_zone"])
        starts_at = ends_at = None
        if data.get("date") and data.get("starts") and data.get("ends"):
            starts_at = timezone.make_aware(datetime.combine(data["date"], data["starts"]), zone)
            ends_at = timezone.make_aware(datetime.combine(data["date"], data["ends"]), zone)
        return {
            "title": data["title"],
            "starts_at": starts_at,
            "ends_at": ends_at,
            "time_zone": data["time_zone"],
            "url": data["url"],
            "place": data["place"],
            "notes": data["notes"],
        }

    def add_service_error(self, error: ValidationError) -> None:
        """Put a service's refusal on the field it is about."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            name = _FIELD_OF.get(field, field)
            self.add_error(None if name == NON_FIELD_ERRORS else name, errors)


PRESENT, ABSENT = "present", "absent"


class AttendanceForm(forms.Form):
    """Present or absent for each member of the cohort, in one form; "everyone present" marks
    the whole list at once."""

    def __init__(self, *args, rows: list[AttendanceRow], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            recorded = row.attendance
            self.fields[row.field_name] = forms.ChoiceField(
                label=row.learner.full_name or row.learner.email,
                choices=[(PRESENT, _("Present")), (ABSENT, _("Absent"))],
                required=False,
                widget=forms.RadioSelect,
                initial=None if recorded is None else (PRESENT if recorded.present else ABSENT),
            )

    def marks(self) -> dict[int, bool]:
        """membership id -> present, for the members given an answer (or all, with
        "everyone present")."""
        everyone = self.data.get("everyone") == PRESENT
        marks = {}
        for row in self.rows:
            value = PRESENT if everyone else self.cleaned_data.get(row.field_name)
            if value:
                marks[row.membership.pk] = value == PRESENT
        return marks

    def bound_rows(self):
        """Each row with its bound field, for the table."""
        return [(row, self[row.field_name]) for row in self.rows]
