"""One moderation request per course: what it holds, publishing it all or nothing and parents
first, the refusals of lessons alone, and the moderators' pages (issue 22)."""

import pytest
from django.apps import apps as current_apps
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.models import (
    GroupApprovalTask,
    Page,
    Revision,
    TaskState,
    Workflow,
    WorkflowState,
    WorkflowTask,
)
from wagtail.signals import page_published

from content.factories import OrganizationFactory
from courses.factories import (
    CourseCompetencyFactory,
    CoursePageFactory,
    LessonPageFactory,
    ModulePageFactory,
    provider_page_of,
)
from moderation.models import CourseModerationItem, CourseModerationTask
from moderation.services import course_request_act

pytestmark = pytest.mark.django_db

APPROVE = {"action-workflow-action": "true", "workflow-action-name": "approve"}


def indonesian(message: str) -> str:
    """The admin's text as a moderator reads it (Indonesian by default)."""
    with translation.override("id-id"):
        return translation.gettext(message)


REFUSAL = indonesian(
    "“%(title)s” belongs to the course “%(course)s”, which is not published yet, so it cannot "
    "be published or approved on its own. Submit the course for moderation: its modules and "
    "lessons are reviewed and published with it, as one request."
)


def module_form(module) -> dict:
    """The module editor's fields as the browser posts them."""
    return {
        "title": module.title,
        "slug": module.slug,
        "summary": module.summary,
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }


def draft_course(provider, *, lessons: int = 2, title: str = "Kursus Baru") -> tuple:
    """A course never published, one module and `lessons` lessons, all drafts with a revision."""
    course = CoursePageFactory(parent=provider_page_of(provider), live=False, title=title)
    CourseCompetencyFactory(page=course)
    module = ModulePageFactory(parent=course, live=False, title=f"Modul: {title}")
    pages = [
        LessonPageFactory(parent=module, live=False, title=f"Pelajaran {number}: {title}")
        for number in range(1, lessons + 1)
    ]
    for page in (course, module, *pages):
        page.save_revision()
    return course, module, pages


def submit(page, editor) -> WorkflowState:
    """What the editor's "Submit for moderation" does: a revision, then the section's workflow."""
    page.save_revision(user=editor)
    return page.get_workflow().start(page, editor)


def live(*pages) -> list[bool]:
    return list(
        Page.objects.filter(pk__in=[page.pk for page in pages])
        .order_by("path")
        .values_list("live", flat=True)
    )


def test_organizations_moderate_with_the_course_task(provider_a):
    task = provider_a.workflow.tasks.specific().get()
    assert isinstance(task, CourseModerationTask)
    assert list(task.groups.all()) == [provider_a.moderators_group]


def test_submitting_a_course_holds_its_changed_modules_and_lessons(provider_a, editor_a, course_a):
    course, module, lessons = draft_course(provider_a)
    # A lesson submitted alone first: the course's request takes it over.
    own_request = submit(lessons[0], editor_a)

    state = submit(course, editor_a)

    items = CourseModerationItem.objects.filter(task_state=state.current_task_state)
    assert [item.page_id for item in items.order_by("page__path")] == [
        module.pk,
        *(lesson.pk for lesson in lessons),
    ]
    assert all(item.revision.object_id == str(item.page_id) for item in items)
    own_request.refresh_from_db()
    assert own_request.status == WorkflowState.STATUS_CANCELLED
    # A published course without changes below it: only the course is in its request.
    course_a.save_revision(user=editor_a)
    state_a = course_a.get_workflow().start(course_a, editor_a)
    assert not CourseModerationItem.objects.filter(task_state=state_a.current_task_state).exists()


def test_approving_publishes_the_course_and_its_pages_parents_first(
    provider_a, editor_a, moderator_a
):
    course, module, lessons = draft_course(provider_a)
    state = submit(course, editor_a)
    order = []

    def record(sender, instance, **kwargs):
        order.append(instance.pk)

    page_published.connect(record)
    try:
        course_request_act(
            task_state=state.current_task_state.specific, user=moderator_a, action="approve"
        )
    finally:
        page_published.disconnect(record)

    assert order == [course.pk, module.pk, *(lesson.pk for lesson in lessons)]
    assert live(course, module, *lessons) == [True] * 4
    assert not Page.objects.filter(pk__in=order, has_unpublished_changes=True).exists()
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED


def test_a_failure_publishing_one_lesson_publishes_nothing(
    provider_a, editor_a, moderator_a, monkeypatch
):
    course, module, lessons = draft_course(provider_a)
    state = submit(course, editor_a)
    publish = Revision.publish

    def failing_publish(revision, *args, **kwargs):
        if revision.object_id == str(lessons[-1].pk):
            raise RuntimeError("storage down")
        return publish(revision, *args, **kwargs)

    monkeypatch.setattr(Revision, "publish", failing_publish)
    with pytest.raises(RuntimeError):
        course_request_act(
            task_state=state.current_task_state.specific, user=moderator_a, action="approve"
        )

    assert live(course, module, *lessons) == [False] * 4
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.status == TaskState.STATUS_IN_PROGRESS


def test_a_lesson_of_an_unpublished_course_is_not_published_or_approved_alone(
    client_for, provider_a, editor_a, moderator_a
):
    course, module, lessons = draft_course(provider_a, title="Kursus Draf")
    lesson = lessons[0]
    lesson_request = submit(lesson, editor_a)
    client = client_for(moderator_a)

    publish = client.post(
        reverse("wagtailadmin_pages:edit", args=[module.pk]),
        {**module_form(module), "action-publish": "publish"},
        follow=True,
    )
    approve = client.post(
        reverse("wagtailadmin_pages:edit", args=[lesson.pk]), APPROVE, follow=True
    )
    dashboard = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[lesson.pk, "approve", lesson_request.current_task_state.pk],
        )
    )

    for response in (publish, approve):
        text = " ".join(str(message) for message in response.context["messages"])
        assert REFUSAL % {"title": "", "course": "Kursus Draf"} in text.replace(
            f"“{module.title}”", "“”"
        ).replace(f"“{lesson.title}”", "“”")
    assert dashboard.status_code == 302 and dashboard.url == reverse("wagtailadmin_home")
    assert live(module, lesson) == [False, False]
    lesson_request.refresh_from_db()
    assert lesson_request.status == WorkflowState.STATUS_IN_PROGRESS


def test_a_module_of_a_published_course_keeps_its_own_request(
    client_for, editor_a, moderator_a, course_a
):
    module = ModulePageFactory(parent=course_a, live=False)
    submit(module, editor_a)

    client_for(moderator_a).post(
        reverse("wagtailadmin_pages:edit", args=[module.pk]), {**module_form(module), **APPROVE}
    )

    assert live(module) == [True]


def test_the_moderator_reviews_and_approves_the_whole_course(
    client_for, provider_a, editor_a, moderator_a
):
    course, module, lessons = draft_course(provider_a)
    state = submit(course, editor_a)
    client = client_for(moderator_a)

    listing = client.get(reverse("moderation_course_requests")).content.decode()
    url = reverse("moderation_course_request", args=[state.current_task_state.pk])
    review = client.get(url).content.decode()
    approved = client.post(url, {"action": "approve"})

    assert url in listing and course.title in listing
    for page in (module, *lessons):
        assert page.title in review
        assert (
            reverse("wagtailadmin_pages:revisions_view", args=[page.pk, page.latest_revision_id])
            in review
        )
    assert approved.status_code == 302
    assert live(course, module, *lessons) == [True] * 4


def test_requesting_changes_needs_a_comment_and_the_editor_sees_it(
    client_for, provider_a, editor_a, moderator_a
):
    course, module, lessons = draft_course(provider_a)
    state = submit(course, editor_a)
    client = client_for(moderator_a)
    url = reverse("moderation_course_request", args=[state.current_task_state.pk])

    empty = client.post(url, {"action": "reject", "comment": " "})
    rejected = client.post(url, {"action": "reject", "comment": "Pelajaran 2 belum ada videonya."})

    assert empty.status_code == 200
    assert (
        indonesian("Say what the editor should change before requesting changes.")
        in empty.content.decode()
    )
    assert rejected.status_code == 302
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert live(course, module, *lessons) == [False] * 3 + [False]
    # Resubmitted: the new request shows the comment and holds the pages again.
    state.resume(user=editor_a)
    state.refresh_from_db()
    again = client.get(
        reverse("moderation_course_request", args=[state.current_task_state.pk])
    ).content.decode()
    assert "Pelajaran 2 belum ada videonya." in again
    assert CourseModerationItem.objects.filter(task_state=state.current_task_state).count() == 3


def test_another_organization_neither_sees_nor_decides_the_request(
    client_for, provider_a, editor_a, moderator_a, moderator_b, editor_b
):
    course, module, lessons = draft_course(provider_a, title="Kursus Rahasia A")
    state = submit(course, editor_a)
    url = reverse("moderation_course_request", args=[state.current_task_state.pk])

    for person in (moderator_b, editor_b, editor_a):
        client = client_for(person)
        assert (
            "Kursus Rahasia A"
            not in client.get(reverse("moderation_course_requests")).content.decode()
        )
        for response in (client.get(url), client.post(url, {"action": "approve"})):
            assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    with pytest.raises(PermissionDenied):
        course_request_act(
            task_state=state.current_task_state.specific, user=moderator_b, action="approve"
        )
    assert live(course, module, *lessons) == [False] * 4


def test_the_review_page_reads_the_same_queries_whatever_the_lessons(
    client_for, provider_a, editor_a, moderator_a
):
    client = client_for(moderator_a)
    counts = []
    for lessons in (1, 12):
        course, module, pages = draft_course(provider_a, lessons=lessons, title=f"Kursus {lessons}")
        state = submit(course, editor_a)
        url = reverse("moderation_course_request", args=[state.current_task_state.pk])
        client.get(url)  # content types and the session, once
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.content.decode().count("/revisions/") >= lessons
        counts.append(len(queries))

    assert counts[0] == counts[1], counts


def test_the_migration_turns_an_organization_group_task_into_a_course_task(provider_b):
    from importlib import import_module

    migration = import_module("moderation.migrations.0002_organization_tasks")
    organization = OrganizationFactory(name="Lama", short_name="LM", slug="lama")
    workflow = Workflow.objects.create(name="LM — Moderasi")
    task = GroupApprovalTask.objects.create(name="LM — Persetujuan moderator")
    task.groups.set([provider_b.moderators_group])
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    organization.workflow = workflow
    organization.save()

    migration.to_course_tasks(current_apps, None)

    converted = workflow.tasks.specific().get()
    assert isinstance(converted, CourseModerationTask) and converted.pk == task.pk
    assert list(converted.groups.all()) == [provider_b.moderators_group]
