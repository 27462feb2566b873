"""Forms of the discussions; each message says what to fix. Text is plain: markup is kept as
typed and shown escaped, so no field needs sanitising."""

from django import forms
from django.utils.translation import gettext_lazy as _

from content.inputs import validate_single_line
from discussions.models import POST_MAX_LENGTH, REPORT_REASON_MAX_LENGTH


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


class ThreadForm(forms.Form):
    """A question: its title, text, and optionally the lesson it is about."""

    title = _title_field(_("Question"))
    body = _text_field(_("Details"), required_message=_("Write your question."))
    lesson = forms.ModelChoiceField(
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
