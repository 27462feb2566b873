"""The admin form of package lessons: a lesson offers only its course provider's packages.

Kept apart from `packages.models` (which names it as `base_form_class`), and it imports no
model of this app: the package field's queryset is narrowed from the one Django built.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from courses.models import CoursePage


class PackageLessonPageForm(WagtailAdminPageForm):
    """Only packages of the organization providing the lesson's course can be chosen: an
    editor never sees, nor plays through their lesson, another organization's package."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("package")
        if field is None:
            return
        anchor = self.parent_page if self.instance.pk is None else self.instance
        course = (
            CoursePage.objects.ancestor_of(anchor, inclusive=True).only("provider_id").first()
            if anchor is not None
            else None
        )
        self.provider_id = course.provider_id if course else None
        field.queryset = field.queryset.filter(organization_id=self.provider_id).order_by("title")
        if not field.queryset.exists():
            field.help_text = _(
                "Upload the package first under “E-learning packages” in the menu; only the "
                "packages of this course's organization are offered."
            )

    def clean_package(self):
        package = self.cleaned_data.get("package")
        if package is not None and package.organization_id != self.provider_id:
            raise ValidationError(
                _("Choose a package of the organization that provides this course."),
                code="other_organization",
            )
        return package
