"""One moderation request for a course and everything changed below it.

Wagtail's workflows moderate one object each. `CourseModerationTask` is the organization's
moderator approval (a `GroupApprovalTask`, so Wagtail's dashboard, e-mails, locking and
per-page requests keep working) that, started on a page whose type says
`moderation_includes_descendants` (a course), also records each page below it with unpublished
changes and the revision submitted (`CourseModerationItem`). Approving the request publishes the
course and those revisions in one transaction, parents first (`moderation.workflows`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import GroupApprovalTask, TaskState


class CourseModerationTaskState(TaskState):
    """A moderator approval in progress or done; a course's carries the pages submitted with it."""

    class Meta:
        verbose_name = _("course approval task state")
        verbose_name_plural = _("course approval task states")


class CourseModerationTask(GroupApprovalTask):
    """Approval by the organization's moderators; a course is approved with its changed modules
    and lessons, as one request."""

    task_state_class = CourseModerationTaskState

    class Meta:
        verbose_name = _("course approval task")
        verbose_name_plural = _("course approval tasks")

    def start(self, workflow_state, user=None):
        from moderation.services import course_request_items_record

        task_state = super().start(workflow_state, user=user)
        course_request_items_record(task_state=task_state, user=user)
        return task_state

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups approve the page; a course is approved together with "
            "its changed modules and lessons"
        )


class CourseModerationItem(models.Model):
    """A page below the submitted course, with the revision its request publishes."""

    task_state = models.ForeignKey(
        CourseModerationTaskState, on_delete=models.CASCADE, related_name="items"
    )
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("page of a course request")
        verbose_name_plural = _("pages of a course request")
        constraints = [
            models.UniqueConstraint(
                fields=["task_state", "page"], name="moderation_item_one_per_page"
            )
        ]

    def __str__(self):
        return f"{self.page_id}@{self.revision_id}"
