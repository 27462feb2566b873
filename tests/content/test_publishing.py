"""Publishing through Wagtail's admin: no autosave race with moderation, and no page live under
an unpublished parent, whichever admin path publishes or unpublishes it."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import Page, TaskState, WorkflowState

from content.workflows import workflow_state_publish
from courses.factories import (
    CoursePageFactory,
    LessonPageFactory,
    ModulePageFactory,
    provider_page_of,
)

pytestmark = pytest.mark.django_db

COMMENTS = {
    "comments-TOTAL_FORMS": "0",
    "comments-INITIAL_FORMS": "0",
    "comments-MIN_NUM_FORMS": "0",
    "comments-MAX_NUM_FORMS": "1000",
}
APPROVE = {"action-workflow-action": "true", "workflow-action-name": "approve"}


def module_form(module, **extra) -> dict:
    """The module editor's fields as the browser posts them."""
    return {"title": module.title, "slug": module.slug, "summary": module.summary, **COMMENTS}


def in_moderation(page, editor) -> WorkflowState:
    """Submit the page's latest revision to its section's workflow, as the editor's button does."""
    page.save_revision(user=editor)
    return page.get_workflow().start(page, editor)


@pytest.fixture
def course(provider_a):
    return CoursePageFactory(parent=provider_page_of(provider_a))


def test_page_editor_and_new_page_form_do_not_autosave(client_for, editor_a, course):
    client = client_for(editor_a)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[course.pk])).content.decode()
    add = client.get(
        reverse("wagtailadmin_pages:add", args=["courses", "modulepage", course.pk])
    ).content.decode()
    assert 'id="id_title"' in edit and 'id="id_title"' in add
    # Each change to the form used to trigger a background save (Wagtail 8's default).
    autosave_on_change = "w-unsaved:add->w-autosave#save"
    assert autosave_on_change not in edit and autosave_on_change not in add


def test_moderator_approval_publishes_without_leaving_a_draft(
    client_for, editor_a, moderator_a, course
):
    module = ModulePageFactory(parent=course, live=False)
    in_moderation(module, editor_a)
    response = client_for(moderator_a).post(
        reverse("wagtailadmin_pages:edit", args=[module.pk]), {**module_form(module), **APPROVE}
    )
    assert response.status_code == 302
    module.refresh_from_db()
    assert module.live and not module.has_unpublished_changes
    assert module.live_revision_id == module.latest_revision_id


def test_autosave_replaying_an_approval_is_refused_and_the_page_stays_published(
    client_for, editor_a, moderator_a, course
):
    # The lost publish of issue 14: Wagtail's autosave posts the whole edit form, with the hidden
    # fields the approve button added, after (or while) the approval itself is handled.
    module = ModulePageFactory(parent=course, live=False)
    in_moderation(module, editor_a)
    client = client_for(moderator_a)
    url = reverse("wagtailadmin_pages:edit", args=[module.pk])
    client.post(url, {**module_form(module), **APPROVE})
    module.refresh_from_db()
    published_revision = module.live_revision_id

    response = client.post(
        url, {**module_form(module), **APPROVE}, headers={"Accept": "application/json"}
    )

    assert response.status_code == 400
    assert response.json()["error_code"] == "invalid_revision"
    module.refresh_from_db()
    assert module.live and module.latest_revision_id == published_revision


def test_approving_a_lesson_under_an_unpublished_module_is_refused(
    client_for, editor_a, moderator_a, course
):
    module = ModulePageFactory(parent=course, live=False, title="Modul Draf")
    lesson = LessonPageFactory(parent=module, live=False)
    workflow_state = in_moderation(lesson, editor_a)
    mail.outbox.clear()

    response = client_for(moderator_a).post(
        reverse("wagtailadmin_pages:edit", args=[lesson.pk]), APPROVE, follow=True
    )

    assert response.redirect_chain[0][0] == reverse("wagtailadmin_pages:edit", args=[lesson.pk])
    assert "Modul Draf" in " ".join(str(message) for message in response.context["messages"])
    lesson.refresh_from_db()
    workflow_state.refresh_from_db()
    assert not lesson.live
    assert workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not mail.outbox


def test_dashboard_approval_under_an_unpublished_parent_is_rolled_back(
    client_for, editor_a, moderator_a, course
):
    # The dashboard's "Approve" posts to Wagtail's workflow action view, which runs no page hook:
    # the workflow's finishing action refuses, and Wagtail's atomic approval is undone.
    module = ModulePageFactory(parent=course, live=False)
    lesson = LessonPageFactory(parent=module, live=False)
    workflow_state = in_moderation(lesson, editor_a)
    task_state = workflow_state.current_task_state
    mail.outbox.clear()

    response = client_for(moderator_a).post(
        reverse("wagtailadmin_pages:workflow_action", args=[lesson.pk, "approve", task_state.pk])
    )

    # Wagtail's admin answers a PermissionDenied with its home page and "no permission" message.
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    lesson.refresh_from_db()
    task_state.refresh_from_db()
    workflow_state.refresh_from_db()
    assert not lesson.live
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    assert workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not mail.outbox


def test_publish_button_under_an_unpublished_course_is_refused(client_for, moderator_a, course):
    draft_course = CoursePageFactory(parent=course.get_parent(), live=False, title="Kursus Draf")
    module = ModulePageFactory(parent=draft_course, live=False)

    response = client_for(moderator_a).post(
        reverse("wagtailadmin_pages:edit", args=[module.pk]),
        {**module_form(module), "action-publish": "publish"},
        follow=True,
    )

    assert "Kursus Draf" in " ".join(str(message) for message in response.context["messages"])
    module.refresh_from_db()
    assert not module.live


def test_unpublishing_a_course_unpublishes_its_modules_and_lessons(client_for, moderator_a, course):
    module = ModulePageFactory(parent=course)
    LessonPageFactory(parent=module)
    LessonPageFactory(parent=module)

    # Without ticking Wagtail's "include descendants" box.
    response = client_for(moderator_a).post(
        reverse("wagtailadmin_pages:unpublish", args=[course.pk])
    )

    assert response.status_code == 302
    assert not Page.objects.descendant_of(course, inclusive=True).live().exists()


def test_workflow_finish_publishes_a_page_under_a_live_parent(editor_a, moderator_a, course):
    module = ModulePageFactory(parent=course, live=False)
    workflow_state = in_moderation(module, editor_a)

    workflow_state_publish(workflow_state, user=moderator_a)

    module.refresh_from_db()
    assert module.live
