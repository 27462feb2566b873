"""One moderation request for a course and everything changed below it.

Wagtail's workflows moderate one object each. `CourseModerationTask` is the organization's
moderator approval (a `GroupApprovalTask`, so Wagtail's dashboard, e-mails, locking and
per-page requests keep working) that, started on a page whose type says
`moderation_includes_descendants` (a course), also records each page below it with unpublished
changes and the revision submitted (`CourseModerationItem`, on the task's state). Approving the
request publishes the course and those revisions in one transaction, parents first
(`moderation.workflows`).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import GroupApprovalTask, Page, TaskState, WorkflowState


def includes_descendants(page: Page) -> bool:
    """Whether `page`'s type is moderated with the pages below it (a course, not a lesson)."""
    return bool(getattr(page.specific_class, "moderation_includes_descendants", False))


class CourseModerationTask(GroupApprovalTask):
    """Approval by the organization's moderators; a course is approved with its changed modules
    and lessons, as one request."""

    # Its states are Wagtail's own `TaskState`: Wagtail e-mails the moderators for `TaskState`
    # senders only, and names the e-mail templates after the state's class.

    class Meta:
        verbose_name = _("course approval task")
        verbose_name_plural = _("course approval tasks")

    def start(self, workflow_state, user=None):
        task_state = super().start(workflow_state, user=user)
        self.record_changed_pages(task_state=task_state, user=user)
        return task_state

    @staticmethod
    def record_changed_pages(*, task_state: TaskState, user=None) -> int:
        """Record the pages below a submitted course that are new or have unpublished changes,
        each with its latest revision; returns how many. Their own requests, if any, end
        (cancelled): they are reviewed in this one now. Any other page's request records
        nothing. (Here rather than in services.py, which imports this module.)"""
        page = task_state.workflow_state.content_object
        if not isinstance(page, Page) or not includes_descendants(page):
            return 0
        changed = list(
            Page.objects.descendant_of(page)
            .filter(Q(has_unpublished_changes=True) | Q(live=False))
            .order_by("path")
        )
        for descendant in changed:
            if descendant.latest_revision_id is None:
                # Made in code without a revision (imports, factories): the request needs one.
                descendant.latest_revision_id = descendant.specific.save_revision(user=user).pk
        own_requests = WorkflowState.objects.active().filter(
            base_content_type_id=page.get_base_content_type().pk,
            object_id__in=[str(descendant.pk) for descendant in changed],
        )
        for own_request in own_requests:
            own_request.cancel(user=user)
        CourseModerationItem.objects.bulk_create(
            CourseModerationItem(
                task_state_id=task_state.pk,
                page=descendant,
                revision_id=descendant.latest_revision_id,
            )
            for descendant in changed
        )
        return len(changed)

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups approve the page; a course is approved together with "
            "its changed modules and lessons"
        )


class CourseModerationItem(models.Model):
    """A page below the submitted course, with the revision its request publishes."""

    task_state = models.ForeignKey(
        "wagtailcore.TaskState", on_delete=models.CASCADE, related_name="moderation_items"
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
