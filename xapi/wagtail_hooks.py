"""Wagtail admin: the xAPI delivery report under Reports (counts by source and status, and the
latest errors), for platform administrators and LAN's organization admins."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from xapi.models import Delivery
from xapi.permissions import can_view_xapi_report
from xapi.selectors import deliveries_with_errors, delivery_counts


def endpoint_shown(endpoint: str) -> str:
    """The LRS's address without any credentials written into it (user:password@)."""
    if not endpoint:
        return ""
    parts = urlsplit(endpoint)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}{parts.path}"


class DeliveryReportView(WagtailAdminTemplateMixin, TemplateView):
    """How many statements were sent, wait, were refused or had nothing to send, by source."""

    page_title = _("xAPI statements")
    header_icon = "table"
    template_name = "xapi/admin/delivery_report.html"

    def dispatch(self, request, *args, **kwargs):
        if not can_view_xapi_report(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        counts = {(row["source"], row["status"]): row["count"] for row in delivery_counts()}
        statuses = list(Delivery.Status)
        rows = [
            {
                "label": source.label,
                "counts": [counts.get((source.value, status.value), 0) for status in statuses],
                "total": sum(counts.get((source.value, s.value), 0) for s in statuses),
            }
            for source in Delivery.Source
        ]
        totals = [sum(row["counts"][i] for row in rows) for i in range(len(statuses))]
        return super().get_context_data(
            endpoint=endpoint_shown(settings.LENTERA_XAPI_ENDPOINT),
            statuses=[status.label for status in statuses],
            rows=rows,
            totals=totals,
            total=sum(totals),
            errors=deliveries_with_errors(),
            **kwargs,
        )


@hooks.register("register_admin_urls")
def register_xapi_urls():
    return [path("xapi/", DeliveryReportView.as_view(), name="xapi_delivery_report")]


class DeliveryReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_xapi_report(request.user)


@hooks.register("register_reports_menu_item")
def register_xapi_menu_item():
    return DeliveryReportMenuItem(
        _("xAPI statements"),
        reverse("xapi_delivery_report"),
        name="xapi-statements",
        icon_name="table",
        order=1400,
    )
