"""Forms of the discussions; each message says what to fix. Text is plain: markup is kept as
typed and shown escaped, so no field needs sanitising."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from content.inputs import validate_single_line
from discussions.models import (
    CLAIM_REPORT_MIN_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    POST_MAX_LENGTH,
    REPORT_REASON_MAX_LENGTH,
)


def _text_field(label, *, required_message, max_length=POST_MAX_LENGTH, rows=6):
    return forms.CharField(
        label=label,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": required_message,
            "max_length": _(
                "Keep it to %(limit_value)d characters at most (this one has %(show_value)d)."
            ),
        },
    )


def _title_field(label):
    return forms.CharField(
        label=label,
        max_length=200,
        validators=[validate_single_line],
        error_messages={
            "required": _("Give it a title."),
            "max_length": _(
                "Keep the title to %(limit_value)d characters at most (this one has "
                "%(show_value)d)."
            ),
        },
    )


class LessonChoiceIterator(forms.models.ModelChoiceIterator):
    """The course's lessons grouped by their module (an <optgroup> each), from the one query of
    `selectors.lessons_of` (its `module_path` and `module_title`): a course of a thousand lessons
    stays a list one can find a lesson in."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: list[tuple[str, str, list]] = []
        for lesson in self.queryset:
            if not groups or groups[-1][0] != lesson.module_path:
                groups.append((lesson.module_path, lesson.module_title, []))
            groups[-1][2].append(self.choice(lesson))
        for _path, title, choices in groups:
            yield (title, choices)


class LessonChoiceField(forms.ModelChoiceField):
    """A lesson of the course, chosen in a drop-down grouped by module."""

    iterator = LessonChoiceIterator


class ThreadForm(forms.Form):
    """A question: its title, text, and optionally the lesson it is about."""

    title = _title_field(_("Question"))
    body = _text_field(_("Details"), required_message=_("Write your question."))
    lesson = LessonChoiceField(
        label=_("About the lesson (optional)"),
        queryset=None,
        required=False,
        empty_label=_("The whole course"),
        error_messages={"invalid_choice": _("Choose a lesson of this course.")},
    )

    def __init__(self, *args, lessons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lesson"].queryset = lessons


class ReplyForm(forms.Form):
    """An answer to a question."""

    body = _text_field(_("Your answer"), required_message=_("Write your answer."))


class ReportForm(forms.Form):
    """Why a post should be looked at by a moderator."""

    reason = _text_field(
        _("Why should a moderator look at this post?"),
        required_message=_("Say what is wrong with this post."),
        max_length=REPORT_REASON_MAX_LENGTH,
        rows=3,
    )


class AnnouncementForm(forms.Form):
    """A trainer's announcement to their cohort."""

    title = _title_field(_("Title"))
    body = _text_field(_("Announcement"), required_message=_("Write the announcement."))


class TopicForm(forms.Form):
    """A new topic in a community: a title and the first post."""

    title = _title_field(_("Topic"))
    body = _text_field(_("Text"), required_message=_("Write the first post of the topic."))


class ResourceForm(forms.Form):
    """A link or a file shared with a community."""

    title = _title_field(_("Title"))
    description = _text_field(
        _("Description (optional)"),
        required_message="",
        max_length=DESCRIPTION_MAX_LENGTH,
        rows=3,
    )
    url = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("Give a full web address, such as https://...")},
    )
    file = forms.FileField(
        label=_("Or a file"),
        required=False,
        help_text=_("PDF, an image or an office document, as for development evidence."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].required = False

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("url")) == bool(data.get("file")):
            raise forms.ValidationError(_("Give either a link or a file."), code="link_or_file")
        return data


_DATETIME = forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"})


class EventForm(forms.Form):
    """A community's meeting: when and where."""

    title = _title_field(_("Title"))
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=_DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=_DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    place = forms.CharField(
        label=_("Place"), required=False, max_length=255, validators=[validate_single_line]
    )
    link = forms.URLField(
        label=_("Link to the virtual room"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("Give a full web address, such as https://...")},
    )
    description = _text_field(
        _("Description (optional)"),
        required_message="",
        max_length=DESCRIPTION_MAX_LENGTH,
        rows=3,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].required = False


_DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class ClaimForm(forms.Form):
    """A member's claim of participation: the period, the hours and what they learned."""

    start_date = forms.DateField(label=_("From"), widget=_DATE)
    end_date = forms.DateField(label=_("Until"), widget=_DATE)
    hours = forms.DecimalField(
        label=_("Hours of participation"),
        min_value=Decimal("0.5"),
        max_digits=6,
        decimal_places=2,
        error_messages={"min_value": _("Claim at least half an hour.")},
    )
    report = _text_field(
        _("What you did and learned in the community"),
        required_message=_("Write a short report of your participation."),
    )

    def clean_report(self):
        report = self.cleaned_data["report"].strip()
        if len(report) < CLAIM_REPORT_MIN_LENGTH:
            raise forms.ValidationError(
                _("Write at least %(count)d characters: what you did and what you learned.")
                % {"count": CLAIM_REPORT_MIN_LENGTH},
                code="short",
            )
        return report
