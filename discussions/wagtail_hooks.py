"""The admin menu's link to the front-end list of reported posts, for the organization's
moderators (who work in the admin) and everyone else who moderates a discussion."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from discussions.permissions import moderates_anything


class ReportedPostsMenuItem(MenuItem):
    def is_shown(self, request):
        return moderates_anything(request.user)


@hooks.register("register_admin_menu_item")
def register_reported_posts_menu_item():
    """The list is a front-end page (discussions.views.reports); the admin links to it."""
    return ReportedPostsMenuItem(
        _("Reported posts"),
        reverse("discussions:reports"),
        name="reported-posts",
        icon_name="warning",
        order=470,
    )
