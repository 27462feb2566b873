"""Wagtail admin for the evaluation loop: the programme evaluation report, a course's results
(L1-L3), the learning needs report (all under Reports), and the service units and feedback
aspects of public feedback (snippets).

Editors and moderators manage their own organizations' service units and aspects without any
extra group permission (`OrganizationScopedPolicy`); global aspects and every organization's
objects need the Django model permissions (superusers have them).
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from content.inputs import id_parse
from content.models import Organization
from core.exports import csv_response, xlsx_response
from courses.models import CoursePage
from evaluation.exports import programme_table
from evaluation.models import FeedbackAspect, ServiceUnit
from evaluation.permissions import (
    can_view_course_evaluation,
    can_view_evaluation_reports,
    courses_evaluable_by,
    organizations_edited,
)
from evaluation.selectors import needs_report, programme_evaluation
from evaluation.views.needs import needs_export
from evaluation.views.results import course_evaluation_context
from learners.permissions import organizations_administered

#: Years offered in the programme report: this one and the four before it.
REPORT_YEARS = 5


# Reports


class EvaluationReportView(WagtailAdminTemplateMixin, TemplateView):
    """A report page in the admin's chrome, open to those `allowed` lets in."""

    header_icon = "table"

    def allowed(self, user) -> bool:
        return can_view_evaluation_reports(user)

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]


class ProgrammeEvaluationView(EvaluationReportView):
    """Per course and year: reach, completion, L1-L3 and JP delivered, with exports."""

    page_title = _("Programme evaluation")
    template_name = "evaluation/admin/programme_evaluation.html"

    def get(self, request, *args, **kwargs):
        this_year = timezone.localdate().year
        years = list(range(this_year, this_year - REPORT_YEARS, -1))
        chosen = request.GET.get("year", "")
        self.year = int(chosen) if chosen.isdigit() and int(chosen) in years else this_year
        self.years = years
        self.rows = programme_evaluation(courses=courses_evaluable_by(request.user), year=self.year)
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            header, table = programme_table(self.rows, year=self.year)
            filename = f"evaluasi-program-{self.year}.{export}"
            if export == "csv":
                return csv_response(filename=filename, header=header, rows=table)
            return xlsx_response(
                filename=filename, sheets=[(_("Programme evaluation"), header, table)]
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(rows=self.rows, year=self.year, years=self.years, **kwargs)


class CourseEvaluationAdminView(EvaluationReportView):
    """One course's evaluation results (the same as the trainers' page)."""

    page_title = _("Course evaluation")
    template_name = "evaluation/admin/course_evaluation.html"

    def allowed(self, user) -> bool:
        self.course = get_object_or_404(
            CoursePage.objects.select_related("provider").defer_streamfields(),
            pk=self.kwargs["course_id"],
        )
        if not can_view_course_evaluation(user, self.course):
            raise Http404
        return True

    def get_page_subtitle(self):
        return self.course.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            course_evaluation_context(course=self.course, page_number=self.request.GET.get("page"))
        )
        return context


class NeedsReportAdminView(EvaluationReportView):
    """The needs report for editors (every organization) and organization admins (theirs)."""

    page_title = _("Learning needs")
    template_name = "evaluation/admin/needs_report.html"

    def organizations(self, user):
        if can_view_evaluation_reports(user):
            return Organization.objects.all()
        return organizations_administered(user)

    def allowed(self, user) -> bool:
        return self.organizations(user).exists()

    def get(self, request, *args, **kwargs):
        organizations = self.organizations(request.user)
        chosen = request.GET.get("organization", "")
        self.chosen = organizations.filter(pk=int(chosen)).first() if chosen.isdigit() else None
        if self.chosen is not None:
            scope = organizations.filter(pk=self.chosen.pk)
        elif can_view_evaluation_reports(request.user):
            scope = None
        else:
            scope = organizations
        self.report = needs_report(organizations=scope)
        self.choices = organizations.order_by("name")
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            return needs_export(self.report, export)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            report=self.report,
            organizations=self.choices,
            chosen=self.chosen,
            **kwargs,
        )


@hooks.register("register_admin_urls")
def register_evaluation_urls():
    return [
        path(
            "evaluasi/program/",
            ProgrammeEvaluationView.as_view(),
            name="evaluation_programme",
        ),
        path(
            "evaluasi/kursus/<int:course_id>/",
            CourseEvaluationAdminView.as_view(),
            name="evaluation_course",
        ),
        path("evaluasi/kebutuhan/", NeedsReportAdminView.as_view(), name="evaluation_needs"),
    ]


class ProgrammeEvaluationMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_evaluation_reports(request.user)


class NeedsReportMenuItem(MenuItem):
    def is_shown(self, request):
        return (
            can_view_evaluation_reports(request.user)
            or organizations_administered(request.user).exists()
        )


@hooks.register("register_reports_menu_item")
def register_programme_evaluation_menu_item():
    return ProgrammeEvaluationMenuItem(
        _("Programme evaluation"),
        reverse("evaluation_programme"),
        name="programme-evaluation",
        icon_name="table",
        order=1300,
    )


@hooks.register("register_reports_menu_item")
def register_needs_report_menu_item():
    return NeedsReportMenuItem(
        _("Learning needs"),
        reverse("evaluation_needs"),
        name="learning-needs",
        icon_name="list-ul",
        order=1310,
    )


# Service units and feedback aspects


class OrganizationScopedPolicy(ModelPermissionPolicy):
    """Model permissions as usual, and besides them: editors and moderators of an organization
    may add, change and delete the objects of their own organizations.

    An object without an organization (a global aspect) needs the model permission.
    """

    editor_actions = ("add", "change", "delete", "view")

    def _model_permission(self, user, action) -> bool:
        return super().user_has_permission(user, action)

    def _edits_any(self, user) -> bool:
        return user.is_active and organizations_edited(user).exists()

    def user_has_permission(self, user, action):
        return self._model_permission(user, action) or (
            action in self.editor_actions and self._edits_any(user)
        )

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        if self._model_permission(user, action):
            return True
        if action not in self.editor_actions or instance.organization_id is None:
            return False
        return organizations_edited(user).filter(pk=instance.organization_id).exists()

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(
            self.user_has_permission_for_instance(user, action, instance) for action in actions
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if any(self._model_permission(user, action) for action in actions):
            return self.model._default_manager.all()
        if any(action in self.editor_actions for action in actions):
            return self.model._default_manager.filter(organization__in=organizations_edited(user))
        return self.model._default_manager.none()


register_permission_policy(ServiceUnit, OrganizationScopedPolicy(ServiceUnit), exact_class=True)
register_permission_policy(
    FeedbackAspect, OrganizationScopedPolicy(FeedbackAspect), exact_class=True
)


class OrganizationScopedForm(WagtailAdminModelForm):
    """Offers only the organizations the editor works for; without the model permission, an
    aspect must belong to one of them (global aspects are the platform's)."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        field = self.fields.get("organization")
        # Wagtail's chooser looks a posted value up again to redraw the form, and a value that
        # is not an id ("abc") then fails there (a 500): drop it, the field says what is wrong.
        posted = self.data.get("organization") if self.is_bound and field is not None else None
        if posted and id_parse(posted) is None:
            self.data = self.data.copy()
            self.data["organization"] = ""
        if for_user is None or field is None:
            return
        policy = OrganizationScopedPolicy(self._meta.model)
        if not policy._model_permission(for_user, "change"):
            field.queryset = organizations_edited(for_user)
            field.required = True
            field.empty_label = None


class InstancePermissionMixin:
    """Wagtail's generic edit and delete views check the model permission only; these check
    the object too, so an editor cannot open another organization's unit by its URL."""

    def get_object(self, queryset=None):
        instance = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, self.permission_required, instance
        ):
            raise PermissionDenied
        return instance


class ScopedEditView(InstancePermissionMixin, snippet_views.EditView):
    pass


class ScopedDeleteView(InstancePermissionMixin, snippet_views.DeleteView):
    pass


class ScopedSnippetViewSet(SnippetViewSet):
    """A snippet listing and forms limited to the organizations the editor works for."""

    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView

    def get_queryset(self, request):
        return OrganizationScopedPolicy(self.model).instances_user_has_any_permission_for(
            request.user, ["change"]
        )


class ServiceUnitViewSet(ScopedSnippetViewSet):
    model = ServiceUnit
    icon = "site"
    list_display = ["name", "organization", "slug", "public"]
    list_filter = ["organization", "public"]
    search_fields = ["name", "slug"]
    edit_handler = ObjectList(
        [
            FieldPanel("organization"),
            FieldPanel("name"),
            FieldPanel("slug"),
            FieldPanel("public"),
        ],
        base_form_class=OrganizationScopedForm,
    )


class FeedbackAspectViewSet(ScopedSnippetViewSet):
    model = FeedbackAspect
    icon = "tick-inverse"
    list_display = ["name", "organization", "sort_order"]
    list_filter = ["organization"]
    search_fields = ["name"]
    edit_handler = ObjectList(
        [
            FieldPanel("organization"),
            FieldPanel("name"),
            FieldPanel("competencies", widget=forms.CheckboxSelectMultiple),
            FieldPanel("sort_order"),
        ],
        base_form_class=OrganizationScopedForm,
    )


class PublicFeedbackViewSetGroup(SnippetViewSetGroup):
    items = (ServiceUnitViewSet, FeedbackAspectViewSet)
    menu_icon = "mail"
    menu_label = _("Public feedback")
    menu_name = "public-feedback"
    menu_order = 295


register_snippet(PublicFeedbackViewSetGroup)
