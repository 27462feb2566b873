"""An editor and a moderator publishing courses through Wagtail's workflow, in a real browser,
with the admin as shipped (no autosave: site/settings/base.py says why)."""

import pytest
from playwright.sync_api import Locator, Page, Request, expect
from wagtail.models import Page as WagtailPage

from content.factories import CompetencyFactory
from courses.factories import CourseCompetencyFactory, CoursePageFactory, provider_page_of
from courses.models import CoursePage, LessonPage, ModulePage
from learners.factories import UserFactory
from tests.e2e.helpers import (
    E2E,
    VIEWPORTS,
    _,
    check_page,
    click_and_wait,
    screenshot,
    sign_in_with_form,
)

pytestmark = E2E


def open_actions_menu(page: Page) -> None:
    """Wagtail's editor footer keeps the other actions behind its dropdown toggle."""
    page.locator("footer .w-dropdown__toggle").first.click()


def submit_for_moderation(page: Page) -> None:
    """The editor's footer: "Submit to <workflow>"; the editor then leaves the form (it stays on
    it, with messages, when a field is invalid)."""
    form_url = page.url
    open_actions_menu(page)
    click_and_wait(page, page.locator("button[name=action-submit]"))
    assert page.url != form_url, page.locator(".error-message, .help-critical").all_inner_texts()


def approve_and_publish(page: Page, item: WagtailPage) -> None:
    """The moderator's "Approve and publish" (the one without a comment dialog) in the editor."""
    page.goto(f"/admin/pages/{item.pk}/edit/")
    open_actions_menu(page)
    click_and_wait(
        page,
        page.locator(
            "button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
        ),
    )


def fill_title(page: Page, title: str) -> None:
    """Type a page title and leave the field; Wagtail's script then fills the slug from it."""
    page.fill("#id_title", title)
    page.keyboard.press("Tab")
    expect(page.locator("#id_slug")).not_to_have_value("")


def type_rich_text(page: Page, editor: Locator, text: str) -> None:
    """Type into a Draftail editor once it has the focus, and check that the text arrived."""
    editor.click()
    expect(editor).to_be_focused()
    page.keyboard.type(text)
    expect(editor).to_contain_text(text)
    # Draftail copies its content into the form's hidden input a moment later; a person never
    # submits faster than that.
    expect(page.locator(f'input[type=hidden][value*="{text}"]')).to_have_count(1)


def add_lesson(page: Page, module: ModulePage, title: str, text: str) -> None:
    page.goto(f"/admin/pages/add/courses/lessonpage/{module.pk}/")
    fill_title(page, title)
    page.fill("#id_estimated_minutes", "20")
    page.locator("[data-contentpath=body] button.c-sf-add-button").first.click()
    page.get_by_role("option", name=_("Text"), exact=True).click()
    type_rich_text(page, page.locator("[data-contentpath=body] [contenteditable=true]").first, text)
    submit_for_moderation(page)


def check_settled_page(page: Page, name: str) -> None:
    """`check_page` once Wagtail's messages have faded in: axe would measure the contrast of
    text still half transparent. Only the messages' own transitions: the sidebar's "what's new"
    badge pings for 25 s on a desktop-wide screen."""
    page.evaluate(
        "Promise.all([...document.querySelectorAll('.messages')]"
        ".flatMap((messages) => messages.getAnimations({subtree: true}))"
        ".map((animation) => animation.finished))"
    )
    check_page(page, name=name)


def page_edit_posts(page: Page) -> list[str]:
    """Every POST the browser sends to a page editor or "add page" form, as it happens."""
    posts: list[str] = []

    def record(request: Request) -> None:
        if request.method == "POST" and "/admin/pages/" in request.url:
            posts.append(request.url)

    page.on("request", record)
    return posts


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_editor_writes_a_course_with_two_lessons_the_moderator_publishes_it(
    page: Page, provider, viewport
):
    page.set_viewport_size(VIEWPORTS[viewport])
    editor = UserFactory(email="editor@instansi.go.id", full_name="Editor LAN")
    editor.groups.add(provider.editors_group)
    moderator = UserFactory(email="moderator@instansi.go.id", full_name="Moderator LAN")
    moderator.groups.add(provider.moderators_group)
    competency = CompetencyFactory(name="Pelayanan Publik Digital")
    section = provider_page_of(provider)
    posts = page_edit_posts(page)

    # The editor writes a course, a module and two lessons, and submits each for moderation.
    sign_in_with_form(page, editor.email)
    page.goto(f"/admin/pages/add/courses/coursepage/{section.pk}/")
    check_page(page, name="new course form")
    fill_title(page, "Pelayanan Prima Digital")
    page.fill("#id_summary", "Melayani warga lewat kanal digital.")
    type_rich_text(
        page,
        page.locator("[data-field-wrapper]:has(#id_description) [contenteditable=true]"),
        "Pelatihan daring tentang pelayanan publik digital.",
    )
    page.fill("#id_jp", "2")
    page.select_option("#id_level", "dasar")
    page.locator(
        "#id_course_competencies-0-competency-chooser button.chooser__choose-button"
    ).click()
    page.locator(".modal a", has_text=competency.name).first.click()
    expect(page.locator("#id_course_competencies-0-competency")).to_have_value(str(competency.pk))
    page.fill("#id_course_competencies-0-target_level", "2")
    screenshot(page, "admin-course-editor")
    submit_for_moderation(page)
    course = CoursePage.objects.get(title="Pelayanan Prima Digital")
    assert course.provider == provider and not course.live

    page.goto(f"/admin/pages/add/courses/modulepage/{course.pk}/")
    fill_title(page, "Modul 1: Kanal Digital")
    submit_for_moderation(page)
    module = ModulePage.objects.get(title="Modul 1: Kanal Digital")

    add_lesson(
        page, module, "Pelajaran 1: Layanan Daring", "Warga kini mengurus layanan secara daring."
    )
    add_lesson(page, module, "Pelajaran 2: Kanal Aduan", "Aduan warga dijawab dalam tiga hari.")
    check_settled_page(page, "page explorer after submitting")
    lessons = list(LessonPage.objects.child_of(module).order_by("path"))
    assert [lesson.title for lesson in lessons] == [
        "Pelajaran 1: Layanan Daring",
        "Pelajaran 2: Kanal Aduan",
    ]
    pages = [course, module, *lessons]
    assert all(item.current_workflow_state.status == "in_progress" for item in pages)
    published = WagtailPage.objects.filter(pk__in=[item.pk for item in pages])
    assert not any(published.values_list("live", flat=True))
    # Only the editor's own submissions reached the server: nothing saved in the background.
    assert len(posts) == len(pages)

    # Nothing is public yet.
    page.context.clear_cookies()
    page.goto("/katalog/")
    expect(page.locator("main")).not_to_contain_text("Pelayanan Prima Digital")

    # The moderator cannot approve a lesson of a course not yet published: the editor says why
    # (the course's own request publishes it; see test_course_request.py).
    sign_in_with_form(page, moderator.email)
    approve_and_publish(page, lessons[0])
    expect(page.locator(".messages")).to_contain_text(
        _(
            "“%(title)s” belongs to the course “%(course)s”, which is not published yet, so "
            "it cannot be published or approved on its own. Submit the course for "
            "moderation: its modules and lessons are reviewed and published with it, as one "
            "request."
        )
        % {"title": lessons[0].title, "course": course.title}
    )
    check_settled_page(page, "lesson editor with the refusal")
    assert not published.filter(live=True).exists()

    # From the top down, each approval publishes the page, with no draft left over it.
    for item in pages:
        approve_and_publish(page, item)
    check_settled_page(page, "page explorer after approving")
    assert all(published.values_list("live", flat=True))
    assert not any(published.values_list("has_unpublished_changes", flat=True))

    page.goto("/katalog/")
    check_page(page, name="catalog")
    page.get_by_role("link", name="Pelayanan Prima Digital").first.click()
    page.wait_for_url(f"**/{course.slug}/")
    check_page(page, name="course page")
    for lesson in lessons:
        expect(page.locator("main")).to_contain_text(lesson.title)


def test_moderator_approves_and_publishes_many_courses_in_a_row_and_none_is_lost(
    page: Page, provider
):
    # Issue 14: one approval in seven left its course a draft, undone by the editor's autosave.
    editor = UserFactory(email="editor@instansi.go.id")
    moderator = UserFactory(email="moderator@instansi.go.id")
    moderator.groups.add(provider.moderators_group)
    section = provider_page_of(provider)
    courses = []
    for number in range(1, 9):
        course = CoursePageFactory(
            parent=section, live=False, title=f"Kursus Antre Moderasi {number}"
        )
        CourseCompetencyFactory(page=course)
        course.save_revision(user=editor)
        course.get_workflow().start(course, editor)
        courses.append(course)
    posts = page_edit_posts(page)
    sign_in_with_form(page, moderator.email)

    for course in courses:
        page.goto(f"/admin/pages/{course.pk}/edit/")
        # The moderator fixes a typo before approving: a change is what set off the autosave.
        page.fill("#id_summary", f"{course.summary} Disetujui.")
        # And reads it over before approving: Wagtail's autosave used to post the form meanwhile.
        page.wait_for_timeout(1500)
        open_actions_menu(page)
        click_and_wait(
            page,
            page.locator(
                "button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
            ),
        )
        expect(page.locator(".messages")).to_contain_text(course.title)
        # Linger as a moderator would: a late background request would arrive in this time.
        page.wait_for_timeout(600)

    assert len(posts) == len(courses)  # one per approval
    stored = CoursePage.objects.filter(pk__in=[course.pk for course in courses])
    assert all(stored.values_list("live", flat=True))
    assert not any(stored.values_list("has_unpublished_changes", flat=True))
    assert all(course.summary.endswith("Disetujui.") for course in stored)

    page.context.clear_cookies()
    page.goto("/katalog/")
    for course in courses:
        expect(page.locator("main")).to_contain_text(course.title)
