"""The trainer's dashboard is a front-end page; the admin menu links to it for trainers."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cohorts.permissions import is_trainer


class CohortsMenuItem(MenuItem):
    def is_shown(self, request):
        return is_trainer(request.user)


@hooks.register("register_admin_menu_item")
def register_cohorts_menu_item():
    return CohortsMenuItem(
        _("My cohorts"),
        reverse("cohorts:dashboard"),
        name="cohorts",
        icon_name="group",
        order=450,
    )
