"""Wagtail hooks: the certificate register in the admin (list, search, inspect, revoke); the JP
compliance menu link is `compliance`'s. Opening a lesson writes nothing (a page view stays a
read): the last lesson is the one last completed, recorded by `learners.progress`.

Certificates are issued only by `learners.certificate_services.certificate_issue` and their
printed fields never change, so the admin offers no add, edit or delete: revoking (with a
reason) is the one change an administrator can make. Access needs the `change_certificate`
permission (superusers have it), granted to a group in Settings > Groups.
"""

from datetime import datetime

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import BooleanRadioSelect, Button, HeaderButton
from wagtail.snippets.models import register_snippet

from learners.admin_viewsets import PeopleViewSetGroup
from learners.certificate_pdf import jp_id
from learners.certificate_services import certificate_revoke
from learners.certificates import (
    CertificateStatus,
    certificate_can_download,
    certificate_status,
    certificate_verify_url,
)
from learners.errors import LearningError
from learners.models import Certificate
from learners.nip import nip_format


def _status_label(certificate: Certificate) -> str:
    return certificate_status(certificate).label


class CertificateFilterSet(WagtailFilterSet):
    revoked = django_filters.BooleanFilter(
        label=_("Revoked"), method="filter_revoked", widget=BooleanRadioSelect
    )

    class Meta:
        model = Certificate
        fields = []

    def filter_revoked(self, queryset, name, value):
        return queryset if value is None else queryset.filter(revoked_at__isnull=not value)


class CertificateIndexView(generic.IndexView):
    """The register of issued certificates, newest first."""

    any_permission_required = ["change"]
    revoke_url_name = None

    def get_field_display_value(self, field_name, field):
        value = getattr(self.object, field_name, None)
        if value is None or value == "":
            return "—"
        if isinstance(value, datetime):
            # In the platform's time zone, like every other date in Lentera.
            return date_format(timezone.localtime(value), "DATETIME_FORMAT")
        return super().get_field_display_value(field_name, field)

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if not instance.is_revoked:
            buttons.append(
                Button(
                    _("Revoke"),
                    url=reverse(self.revoke_url_name, args=[instance.pk]),
                    icon_name="cross",
                    priority=40,
                )
            )
        return buttons


class CertificateInspectView(generic.InspectView):
    """Every frozen field of one certificate, who revoked it and why."""

    any_permission_required = ["change"]
    revoke_url_name = None

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if certificate_can_download(user=self.request.user, certificate=self.object):
            buttons.append(
                Button(
                    _("Download PDF"),
                    url=reverse("learners:certificate_pdf", args=[self.object.code]),
                    icon_name="download",
                    priority=30,
                )
            )
        return buttons

    @cached_property
    def header_buttons(self):
        if self.object.is_revoked:
            return []
        return [
            HeaderButton(
                _("Revoke"),
                url=reverse(self.revoke_url_name, args=[self.object.pk]),
                icon_name="cross",
            )
        ]

    def get_code_display_value(self):
        return certificate_verify_url(self.object)

    def get_holder_nip_display_value(self):
        return nip_format(self.object.holder_nip) or "-"

    def get_signatory_nip_display_value(self):
        return nip_format(self.object.signatory_nip) or "-"

    def get_jp_display_value(self):
        return jp_id(self.object.jp)

    def get_competencies_display_value(self):
        return (
            "; ".join(
                f"{item.get('code', '')} {item.get('name', '')} ({item.get('level', '-')})".strip()
                for item in self.object.competencies
            )
            or "-"
        )


class CertificateRevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revocation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Recorded with your name and the time. The public verification page shows only "
            "that the certificate was revoked, and when."
        ),
    )


class CertificateRevokeView(
    PermissionCheckedMixin, BaseObjectMixin, WagtailAdminTemplateMixin, FormView
):
    """Revoke one certificate through `certificate_revoke`, showing the refusals it raises."""

    model = Certificate
    permission_required = "change"
    form_class = CertificateRevokeForm
    template_name = "learners/admin/certificate_revoke.html"
    page_title = _("Revoke certificate")
    header_icon = ""
    index_url_name = None
    inspect_url_name = None

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": _("Certificates")},
            {"url": self.get_inspect_url(), "label": str(self.object)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_inspect_url(self) -> str:
        return reverse(self.inspect_url_name, args=[self.object.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(certificate=self.object, inspect_url=self.get_inspect_url())
        return context

    def form_valid(self, form):
        try:
            certificate_revoke(
                certificate=self.object,
                revoked_by=self.request.user,
                reason=form.cleaned_data["reason"],
            )
        except LearningError as error:
            form.add_error("reason" if error.code == "reason" else None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Certificate %(serial)s revoked.") % {"serial": self.object}
        )
        return redirect(self.get_inspect_url())


class CertificateViewSet(ModelViewSet):
    """Read-only certificate register with a revoke action."""

    model = Certificate
    icon = "doc-full-inverse"
    menu_label = _("Certificates")
    menu_order = 290
    add_to_admin_menu = True
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    revoke_view_class = CertificateRevokeView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = CertificateFilterSet
    search_fields = ["serial", "holder_name", "holder_nip"]
    list_display = [
        "serial",
        "holder_name",
        "course_title",
        DateColumn("issued_at", label=_("Issued at"), sort_key="issued_at"),
        StatusTagColumn(
            "status",
            label=_("Status"),
            accessor=_status_label,
            primary=lambda certificate: certificate_status(certificate) == CertificateStatus.VALID,
        ),
    ]
    inspect_view_fields = [
        "serial",
        "code",
        "holder_name",
        "holder_nip",
        "holder_agency",
        "holder_position",
        "holder_rank_grade",
        "course_title",
        "jp",
        "competencies",
        "provider_name",
        "learning_mode",
        "started_on",
        "completed_on",
        "issued_at",
        "valid_until",
        "signatory_name",
        "signatory_nip",
        "signatory_title",
        "revoked_at",
        "revoked_by",
        "revoked_reason",
    ]

    def get_common_view_kwargs(self, **kwargs):
        # No add, edit, delete, history or usage views exist: no view may link to them.
        return super().get_common_view_kwargs(
            add_url_name=None,
            edit_url_name=None,
            delete_url_name=None,
            history_url_name=None,
            usage_url_name=None,
            inspect_url_name=self.get_url_name("inspect"),
            revoke_url_name=self.get_url_name("revoke"),
            **kwargs,
        )

    @property
    def revoke_view(self):
        return self.construct_view(self.revoke_view_class)

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("revoke/<int:pk>/", self.revoke_view, name="revoke"),
        ]

    @property
    def url_finder_class(self):
        # Links to "edit" a certificate elsewhere in the admin open its inspect page.
        return type(
            "CertificateAdminURLFinder",
            (ModelAdminURLFinder,),
            {"edit_url_name": self.get_url_name("inspect")},
        )

    def get_permissions_to_register(self):
        # Only "change" (which here means: may see and revoke) is meaningful.
        return Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(Certificate),
            codename="change_certificate",
        )


@hooks.register("register_admin_viewset")
def register_certificate_viewset():
    return CertificateViewSet("certificates")


register_snippet(PeopleViewSetGroup)
