"""A course reviewed as one piece (issue 22): the editor submits a course whose module and
lessons are drafts as one request; the organization's moderator reviews every page of it on one
admin page and approves it; the course and its lessons go live together."""

import pytest
from playwright.sync_api import Page, expect
from wagtail.models import Page as WagtailPage

from courses.factories import (
    CourseCompetencyFactory,
    CoursePageFactory,
    LessonPageFactory,
    ModulePageFactory,
    provider_page_of,
)
from learners.factories import UserFactory
from tests.e2e.helpers import E2E, VIEWPORTS, _, check_page, click_and_wait, sign_in_with_form
from tests.e2e.test_editor_journey import check_settled_page, submit_for_moderation

pytestmark = E2E


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_editor_submits_a_course_as_one_request_and_the_moderator_approves_it(
    page: Page, provider, viewport
):
    page.set_viewport_size(VIEWPORTS[viewport])
    editor = UserFactory(email="editor@instansi.go.id", full_name="Editor LAN")
    editor.groups.add(provider.editors_group)
    moderator = UserFactory(email="moderator@instansi.go.id", full_name="Moderator LAN")
    moderator.groups.add(provider.moderators_group)
    course = CoursePageFactory(
        parent=provider_page_of(provider), live=False, title="Kearsipan Digital"
    )
    CourseCompetencyFactory(page=course)
    module = ModulePageFactory(parent=course, live=False, title="Modul 1: Arsip Elektronik")
    lessons = [
        LessonPageFactory(parent=module, live=False, title=title)
        for title in ("Pelajaran 1: Naskah Dinas", "Pelajaran 2: Retensi Arsip")
    ]
    pages = [course, module, *lessons]
    for item in pages:
        item.save_revision(user=editor)

    # The editor submits the course only: its module and lessons go with it.
    sign_in_with_form(page, editor.email)
    page.goto(f"/admin/pages/{course.pk}/edit/")
    submit_for_moderation(page)
    course.refresh_from_db()
    assert course.current_workflow_state.status == "in_progress"
    assert all(item.current_workflow_state is None for item in pages[1:])

    # The moderator finds the request, sees every page of it, and approves it once.
    page.context.clear_cookies()
    sign_in_with_form(page, moderator.email)
    page.goto("/admin/moderasi/kursus/")
    check_page(page, name="course requests")
    page.get_by_role("link", name=course.title).click()
    page.wait_for_url("**/admin/moderasi/kursus/*/")
    for item in pages[1:]:
        expect(page.locator("main table")).to_contain_text(item.title)
    expect(page.get_by_role("link", name=f"{_('Preview')} {lessons[1].title}")).to_have_count(1)
    check_page(page, name="course request")
    click_and_wait(page, page.get_by_role("button", name=_("Approve and publish")))
    expect(page.locator(".messages")).to_contain_text(course.title)
    check_settled_page(page, "course requests after approving")

    published = WagtailPage.objects.filter(pk__in=[item.pk for item in pages])
    assert all(published.values_list("live", flat=True))
    assert not any(published.values_list("has_unpublished_changes", flat=True))

    page.context.clear_cookies()
    page.goto(course.url)
    for lesson in lessons:
        expect(page.locator("main")).to_contain_text(lesson.title)
    page.get_by_role("link", name=lessons[1].title).first.click()
    expect(page.locator("h1")).to_contain_text(lessons[1].title)
