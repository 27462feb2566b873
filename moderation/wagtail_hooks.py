"""The admin side of course requests: the moderators' pages and menu item, and the refusals
that keep a module or lesson of an unpublished course from going out on its own."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import GroupApprovalTask

from moderation.services import page_alone_refusal
from moderation.views import CourseRequestListView, CourseRequestReviewView


@hooks.register("register_admin_urls")
def register_moderation_urls():
    return [
        path(
            "moderasi/kursus/", CourseRequestListView.as_view(), name="moderation_course_requests"
        ),
        path(
            "moderasi/kursus/<int:task_state_id>/",
            CourseRequestReviewView.as_view(),
            name="moderation_course_request",
        ),
    ]


class CourseRequestsMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return (
            user.is_superuser
            or GroupApprovalTask.objects.filter(
                active=True, groups__in=user.groups.values("pk")
            ).exists()
        )


@hooks.register("register_admin_menu_item")
def register_course_requests_menu_item():
    return CourseRequestsMenuItem(
        _("Course requests"),
        reverse("moderation_course_requests"),
        name="course-requests",
        icon_name="tasks",
        order=250,
    )


# Before content's hooks (order 0), whose refusal would only say "publish the module first".


@hooks.register("before_publish_page", order=-10)
def refuse_publishing_alone_under_an_unpublished_course(request, page):
    """The editor's "Publish" button on a module or lesson of a course not yet published."""
    if refusal := page_alone_refusal(page):
        messages.error(request, refusal)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_edit_page", order=-10)
def refuse_approving_alone_under_an_unpublished_course(request, page):
    """The moderator's "Approve" in the page editor, on a module or lesson of a course not yet
    published. (The dashboard's approve button is refused by moderation.workflows.)"""
    if (
        request.method != "POST"
        or request.POST.get("workflow-action-name") != "approve"
        or not request.POST.get("action-workflow-action")
        or not request.accepts("text/html")
    ):
        return None
    if refusal := page_alone_refusal(page):
        messages.error(request, refusal)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("after_edit_page")
@hooks.register("after_create_page")
def tell_the_editor_a_lesson_goes_out_with_its_course(request, page):
    """A module or lesson of an unpublished course submitted alone: say that the course's
    request is the one that publishes it."""
    if request.POST.get("action-submit") is None or not request.accepts("text/html"):
        return
    if page_alone_refusal(page):
        messages.warning(
            request,
            _(
                "“%(title)s” is published with its course: submit the course for moderation, "
                "and this page is reviewed with it."
            )
            % {"title": page.get_admin_display_title()},
        )
