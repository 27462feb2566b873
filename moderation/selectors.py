"""Reads for the moderators' pages: the requests a person may decide, and what one holds."""

from django.db.models import Count, QuerySet
from wagtail.models import Page, TaskState

from moderation.models import CourseModerationItem, CourseModerationTask


def course_approval_states() -> QuerySet[TaskState]:
    """Task states of course approval tasks (the organizations' moderators' approvals)."""
    return TaskState.objects.filter(task_id__in=CourseModerationTask.objects.values("pk"))


def course_requests_moderated_by(user) -> QuerySet[TaskState]:
    """Requests waiting for a decision that `user` may take: those of the tasks whose groups
    they are in (their organization's moderators), every one for a superuser."""
    tasks = CourseModerationTask.objects.all()
    if not user.is_superuser:
        tasks = tasks.filter(groups__in=user.groups.values("pk"))
    return TaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS, task_id__in=tasks.values("pk")
    )


def course_request_list(user) -> list[dict]:
    """The requests `user` may decide, newest first, each with its page and how many pages it
    holds below it: three queries whatever the number."""
    states = list(
        course_requests_moderated_by(user)
        .select_related("workflow_state__requested_by")
        .annotate(changed=Count("moderation_items"))
        .order_by("-started_at", "-pk")
    )
    pages = Page.objects.in_bulk(
        [
            int(state.workflow_state.object_id)
            for state in states
            if state.workflow_state.object_id.isdigit()
        ]
    )
    return [
        {"state": state, "page": page}
        for state in states
        if (page := pages.get(int(state.workflow_state.object_id))) is not None
    ]


def course_request_pages(task_state: TaskState) -> list[CourseModerationItem]:
    """The pages submitted with a request, parents first, with their revisions (without their
    content): one query whatever the number of lessons."""
    return list(
        CourseModerationItem.objects.filter(task_state=task_state)
        .select_related("page", "revision__user")
        .defer("revision__content")
        .order_by("page__path")
    )


def course_request_comments(task_state: TaskState) -> QuerySet[TaskState]:
    """Earlier decisions on the same request with their comments (changes asked for)."""
    return (
        TaskState.objects.filter(workflow_state_id=task_state.workflow_state_id)
        .exclude(pk=task_state.pk)
        .exclude(comment="")
        .select_related("finished_by")
        .order_by("started_at")
    )
