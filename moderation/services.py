"""Course requests: what a course's moderation request holds, and publishing it when approved."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Page, TaskState, WorkflowState

from content.services import page_publish_refusal
from content.workflows import workflow_state_publish as page_workflow_publish
from moderation.models import CourseModerationItem, includes_descendants


def page_alone_refusal(page: Page) -> str | None:
    """Why `page` may not be published or approved on its own, or None when it may.

    A module or lesson of a course that is not published yet goes out with its course, in the
    course's request: approved alone it would wait, live or refused, for a course that may still
    change or be turned down (issue 22: a moderator approved lessons and not their course).
    """
    for ancestor in Page.objects.ancestor_of(page).filter(live=False).order_by("depth"):
        if includes_descendants(ancestor):
            return _(
                "“%(title)s” belongs to the course “%(course)s”, which is not published yet, so "
                "it cannot be published or approved on its own. Submit the course for "
                "moderation: its modules and lessons are reviewed and published with it, as one "
                "request."
            ) % {
                "title": page.get_admin_display_title(),
                "course": ancestor.get_admin_display_title(),
            }
    return None


def course_request_items(*, workflow_state: WorkflowState) -> list[CourseModerationItem]:
    """The pages an approved request publishes besides its own, parents first: the items of its
    approved course approval (the latest, should a workflow hold several)."""
    items = (
        CourseModerationItem.objects.filter(
            task_state__workflow_state=workflow_state,
            task_state__status=TaskState.STATUS_APPROVED,
        )
        .select_related("page", "revision")
        .order_by("page__path", "-task_state_id")
    )
    chosen: dict[int, CourseModerationItem] = {}
    for item in items:
        chosen.setdefault(item.page_id, item)
    return list(chosen.values())


@transaction.atomic
def course_request_publish(*, workflow_state: WorkflowState, user=None) -> list[Page]:
    """Publish an approved request: its page, then each page submitted with it, parents before
    children, all or nothing. Returns the pages published below the request's own.

    A refusal or any error on one page raises and rolls everything back (the approval included,
    when called from Wagtail's atomic `WorkflowState.finish`): no course goes out half published.
    """
    page = workflow_state.content_object
    if isinstance(page, Page) and (refusal := page_alone_refusal(page)):
        raise PermissionDenied(refusal)
    page_workflow_publish(workflow_state, user=user)
    published = []
    for item in course_request_items(workflow_state=workflow_state):
        descendant = item.page
        if not descendant.path.startswith(page.path) or descendant.pk == page.pk:
            continue  # moved out of the course since it was submitted
        if descendant.live_revision_id and descendant.live_revision_id >= item.revision_id:
            continue  # published since, as submitted or newer
        if refusal := page_publish_refusal(descendant):
            raise PermissionDenied(refusal)
        item.revision.publish(user=user)
        published.append(descendant)
    return published


def course_request_act(*, task_state: TaskState, user, action: str, comment: str = "") -> None:
    """Approve a request or ask for changes, through its task as Wagtail's own buttons do."""
    task = task_state.task.specific
    page = task_state.workflow_state.content_object
    if action not in {name for name, _label, _modal in task.get_actions(page, user)}:
        raise PermissionDenied
    task.on_action(task_state, user, action, comment=comment)
