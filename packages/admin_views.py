"""The "E-learning packages" admin: upload, inspect what was found, rename, delete if unused.

Every view shows and acts on the packages of the organizations the editor works for
(`packages.permissions`), answering 404 for others' as if they did not exist.
"""

from datetime import date

import django_filters
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, ProtectedError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_filters.fields import DateRangeField
from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryFilterSet, HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import log

from packages.forms import PackageEditForm, PackageUploadForm
from packages.imports import package_import
from packages.models import Package
from packages.permissions import PackagePermissionPolicy, package_organizations

# Registered for the model in packages.wagtail_hooks, before the view set.
permission_policy = PackagePermissionPolicy(Package)


def packages_for(user):
    """The packages `user` manages, with how many lessons use each."""
    return Package.objects.filter(organization__in=package_organizations(user)).select_related(
        "organization"
    )


class ScopedObjectMixin:
    def get_queryset(self):
        return packages_for(self.request.user)


class ScopedBaseObjectMixin:
    def get_base_object_queryset(self):
        return packages_for(self.request.user)


# Dates a package's history can hold: Lentera's packages are all uploaded long after this.
HISTORY_EARLIEST = date(2000, 1, 1)


class HistoryDateRangeField(DateRangeField):
    """Wagtail's history date range, refusing years before 2000: the first day of year 1 at
    midnight in Jakarta is still year 0 in UTC (OverflowError, a 500, when the database
    adapts it)."""

    def clean(self, value):
        dates = super().clean(value)
        for bound in (dates.start, dates.stop) if dates else ():
            if bound is not None and bound.date() < HISTORY_EARLIEST:
                raise ValidationError(
                    _("Enter a date from %(year)s on.") % {"year": HISTORY_EARLIEST.year},
                    code="date_too_early",
                )
        return dates


class HistoryDateRangeFilter(django_filters.DateFromToRangeFilter):
    field_class = HistoryDateRangeField


class PackageHistoryFilterSet(HistoryFilterSet):
    timestamp = HistoryDateRangeFilter(label=_("Date"), widget=DateRangePickerWidget)


class PackageHistoryView(ScopedBaseObjectMixin, HistoryView):
    filterset_class = PackageHistoryFilterSet


class PackageUsageView(ScopedBaseObjectMixin, UsageView):
    pass


class PackageIndexView(generic.IndexView):
    def get_base_queryset(self):
        return packages_for(self.request.user).annotate(lesson_count=Count("lessons"))


class PackageCreateView(generic.CreateView):
    page_title = _("Upload a package")

    def form_valid(self, form):
        self.form = form
        try:
            self.object = package_import(
                uploaded_file=form.cleaned_data["upload"],
                organization=form.cleaned_data["organization"],
                user=self.request.user,
                title=form.cleaned_data.get("title"),
            )
        except ValidationError as error:
            # Damage found only while extracting (a wrong checksum, a size the header hid).
            form.add_error("upload", error)
            return self.form_invalid(form)
        log(instance=self.object, action="wagtail.create", user=self.request.user)
        messages.success(
            self.request,
            _("Package “%(title)s” uploaded: %(count)d files.")
            % {"title": self.object.title, "count": self.object.file_count},
        )
        return HttpResponseRedirect(reverse("package_admin:inspect", args=[self.object.pk]))


class PackageEditView(ScopedObjectMixin, generic.EditView):
    pass


class PackageDeleteView(ScopedObjectMixin, generic.DeleteView):
    @cached_property
    def lessons(self):
        return list(self.object.lessons.order_by("title").values_list("title", flat=True))

    @property
    def confirmation_message(self):
        if self.lessons:
            return _(
                "This package is used by %(count)d lessons (%(lessons)s) and cannot be deleted. "
                "Choose another package for those lessons first."
            ) % {"count": len(self.lessons), "lessons": ", ".join(self.lessons)}
        return super().confirmation_message

    def form_valid(self, form):
        # Before Wagtail's own check (the reference index's "protected" usage, which answers
        # with a bare "permission denied"): the editor is told which lessons hold it.
        if self.lessons:
            return self._refused()
        try:
            return super().form_valid(form)
        except ProtectedError:
            return self._refused()

    def _refused(self):
        messages.error(self.request, self.confirmation_message)
        return HttpResponseRedirect(reverse("package_admin:inspect", args=[self.object.pk]))


class PackageInspectView(generic.InspectView):
    template_name = "packages/admin/package_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(packages_for(self.request.user), pk=self.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        manifest = self.object.manifest or {}
        context.update(
            package=self.object,
            items=manifest.get("items", []),
            has_sequencing=bool(
                manifest.get("sequencing_collection")
                or any(item.get("sequencing") for item in manifest.get("items", []))
                or any(node.get("sequencing") for node in manifest.get("structure", []))
            ),
            left_out=manifest.get("left_out", []),
            lessons=self.object.lessons.order_by("title"),
        )
        return context

    @cached_property
    def header_more_buttons(self):
        buttons = [
            Button(
                _("Rename"),
                url=reverse("package_admin:edit", args=[self.object.pk]),
                icon_name="edit",
                priority=10,
            )
        ]
        if not self.object.lessons.exists():
            buttons.append(
                Button(
                    _("Delete"),
                    url=reverse("package_admin:delete", args=[self.object.pk]),
                    icon_name="bin",
                    priority=20,
                )
            )
        return buttons


class PackageViewSet(ModelViewSet):
    """E-learning packages (SCORM, H5P) of the editor's organizations."""

    model = Package
    icon = "folder-inverse"
    menu_label = _("E-learning packages")
    menu_order = 250
    add_to_admin_menu = True
    url_prefix = "packages"
    name = "package_admin"
    index_view_class = PackageIndexView
    add_view_class = PackageCreateView
    edit_view_class = PackageEditView
    delete_view_class = PackageDeleteView
    inspect_view_class = PackageInspectView
    history_view_class = PackageHistoryView
    usage_view_class = PackageUsageView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    list_display = [
        "title",
        "kind",
        "schema_version",
        "organization",
        Column("lesson_count", label=_("Lessons")),
        "uploaded_at",
    ]
    list_filter = ["kind", "organization"]
    search_fields = ["title"]

    def get_form_class(self, for_update=False):
        return PackageEditForm if for_update else PackageUploadForm
