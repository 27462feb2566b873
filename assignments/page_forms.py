"""The admin form of assignment lessons: file types are ticked from the fixed allow-list.

Kept apart from `assignments.models` (which names it as `base_form_class`); the allow-list is
defined here so that the model module imports this one, not the other way round.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

#: Files a learner may submit, by extension, with the content type they are served with. Each
#: has a known signature in `content.forms.content_matches_extension` (the content is sniffed).
FILE_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "jpg": "image/jpeg",
    "png": "image/png",
    "txt": "text/plain",
}
FILE_TYPE_CHOICES = [(extension, f".{extension}") for extension in FILE_TYPES]


class AssignmentPageForm(WagtailAdminPageForm):
    """Allowed file types as checkboxes over `FILE_TYPES`, stored as a list of extensions."""

    allowed_file_types = forms.MultipleChoiceField(
        label=_("allowed file types"),
        choices=FILE_TYPE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked for a written answer only."),
    )
