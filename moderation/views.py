"""The moderators' admin pages: the requests waiting for them, and one request as a whole."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page, TaskState

from content.inputs import ID_MAX
from content.services import page_publish_refusal
from moderation.forms import CourseRequestDecisionForm
from moderation.selectors import (
    course_approval_states,
    course_request_comments,
    course_request_list,
    course_request_pages,
)
from moderation.services import course_request_act


class CourseRequestListView(WagtailAdminTemplateMixin, TemplateView):
    """Requests waiting for the signed-in moderator's decision (their organization's only)."""

    page_title = gettext_lazy("Course requests")
    header_icon = "tasks"
    template_name = "moderation/admin/course_requests.html"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(requests=course_request_list(self.request.user), **kwargs)


class CourseRequestReviewView(WagtailAdminTemplateMixin, FormView):
    """One request as a whole: every page it would publish, with links to each page's preview
    and changes, earlier comments, and the decision (approve and publish, or request changes)."""

    page_title = gettext_lazy("Review course request")
    header_icon = "tasks"
    template_name = "moderation/admin/course_request.html"
    form_class = CourseRequestDecisionForm

    def dispatch(self, request, *args, **kwargs):
        if kwargs["task_state_id"] > ID_MAX:
            raise Http404
        self.task_state = (
            course_approval_states()
            .filter(pk=kwargs["task_state_id"], status=TaskState.STATUS_IN_PROGRESS)
            .select_related("workflow_state__requested_by", "revision__user", "task")
            .first()
        )
        if self.task_state is None:
            raise Http404
        self.page = Page.objects.filter(pk=self.task_state.workflow_state.object_id).first()
        if self.page is None:
            raise Http404
        self.task = self.task_state.task.specific
        # Wagtail's own rule for its buttons: the task's groups (the organization's moderators).
        if not self.task.get_actions(self.page, request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.page.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("moderation_course_requests"), "label": _("Course requests")},
            {"url": "", "label": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        items = course_request_pages(self.task_state)
        for item in items:
            item.level = item.page.depth - self.page.depth
        return super().get_context_data(
            course=self.page,
            task_state=self.task_state,
            items=items,
            comments=list(course_request_comments(self.task_state)),
            **kwargs,
        )

    def form_valid(self, form):
        action, comment = form.cleaned_data["action"], form.cleaned_data["comment"].strip()
        title = self.page.get_admin_display_title()
        if action == form.APPROVE and (refusal := page_publish_refusal(self.page)):
            form.add_error(None, refusal)
            return self.form_invalid(form)
        try:
            course_request_act(
                task_state=self.task_state, user=self.request.user, action=action, comment=comment
            )
        except PermissionDenied as refusal:
            form.add_error(None, str(refusal) or _("This request cannot be decided by you."))
            return self.form_invalid(form)
        if action == form.APPROVE:
            messages.success(
                self.request,
                _("“%(title)s” and the pages submitted with it are published.") % {"title": title},
            )
        else:
            messages.success(
                self.request,
                _("Changes requested on “%(title)s”: the editor was told.") % {"title": title},
            )
        return redirect("moderation_course_requests")
