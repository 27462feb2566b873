from django import forms
from django.utils.translation import gettext_lazy as _


class CourseRequestDecisionForm(forms.Form):
    """A moderator's decision on a whole request, with a comment for the editor."""

    APPROVE = "approve"
    REJECT = "reject"

    action = forms.ChoiceField(
        choices=[(APPROVE, _("Approve and publish")), (REJECT, _("Request changes"))],
        error_messages={"required": _("Choose to approve the request or to request changes.")},
    )
    comment = forms.CharField(
        label=_("Comment for the editor"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you request changes: say what to change, and on which page."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == self.REJECT and not cleaned.get("comment", "").strip():
            self.add_error(
                "comment", _("Say what the editor should change before requesting changes.")
            )
        return cleaned
