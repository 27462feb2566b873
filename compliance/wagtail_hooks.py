"""The admin menu's link to the front-end JP compliance report, for organization admins."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from learners.permissions import administers_any_organization


class ComplianceMenuItem(MenuItem):
    def is_shown(self, request):
        return administers_any_organization(request.user)


@hooks.register("register_admin_menu_item")
def register_compliance_menu_item():
    """The report is a front-end page (compliance.views); the admin links to it."""
    return ComplianceMenuItem(
        _("JP compliance"),
        reverse("compliance:index"),
        name="jp-compliance",
        icon_name="tasks",
        order=460,
    )
