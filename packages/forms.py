"""The editor's forms for packages: upload (checked before anything is stored) and rename."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from packages.manifests import package_parse
from packages.models import Package
from packages.permissions import package_organizations
from packages.validation import Limits, archive_check, archive_open


class PackageUploadForm(WagtailAdminModelForm):
    """A SCORM zip or an .h5p file for one of the organizations the editor works for.

    `clean_upload` runs every check and reads the manifest, so a refused package is reported
    beside the field without anything stored; the view then imports it
    (`packages.imports.package_import`), which checks the contents once more while extracting.
    """

    upload = forms.FileField(
        label=_("Package file"),
        help_text=_(
            "A SCORM 1.2 or SCORM 2004 package (.zip with imsmanifest.xml) or an H5P file (.h5p)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,.h5p"}),
    )

    class Meta:
        model = Package
        fields = ["organization", "title"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organizations = package_organizations(self.for_user) if self.for_user else None
        field = self.fields["organization"]
        if organizations is not None:
            field.queryset = organizations
            if len(organizations) == 1:
                field.initial = organizations[0].pk
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Leave empty to use the title in the package.")
        self.parsed = None

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        limits = Limits.from_settings()
        if upload.size > limits.max_bytes:
            raise ValidationError(
                _("The file is larger than %(limit)d MB, the most a package may be."),
                code="too_big",
                params={"limit": limits.max_bytes // (1024 * 1024)},
            )
        with archive_open(upload) as archive:
            self.parsed = package_parse(archive_check(archive, limits=limits))
        upload.seek(0)
        return upload


class PackageEditForm(WagtailAdminModelForm):
    """A stored package's files never change; only the title editors see is theirs to edit."""

    class Meta:
        model = Package
        fields = ["title"]
