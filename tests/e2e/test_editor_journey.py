"""An editor and a moderator publishing a course through Wagtail's workflow, in a real browser."""

from playwright.sync_api import Locator, Page, expect
from wagtail.models import Page as WagtailPage

from content.factories import CompetencyFactory
from courses.factories import provider_page_of
from courses.models import CoursePage, LessonPage, ModulePage
from learners.factories import UserFactory
from tests.e2e.helpers import E2E, _, click_and_wait, screenshot, sign_in_with_form

pytestmark = E2E


def submit_for_moderation(page: Page) -> None:
    """Wagtail's editor footer: open the actions menu, then "Submit to <workflow>"; the editor
    then leaves the form (it stays on it, with messages, when a field is invalid)."""
    form_url = page.url
    page.locator("footer .w-dropdown__toggle").first.click()
    click_and_wait(page, page.locator("button[name=action-submit]"))
    assert page.url != form_url, page.locator(".error-message, .help-critical").all_inner_texts()


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


def test_editor_creates_a_course_the_moderator_publishes_it(page: Page, provider, settings):
    # No background autosave: the server thread and this one share a single SQLite connection
    # here, so a save racing this test's own queries would fail with "table is locked".
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    editor = UserFactory(email="editor@instansi.go.id", full_name="Editor LAN")
    editor.groups.add(provider.editors_group)
    moderator = UserFactory(email="moderator@instansi.go.id", full_name="Moderator LAN")
    moderator.groups.add(provider.moderators_group)
    competency = CompetencyFactory(name="Pelayanan Publik Digital")
    section = provider_page_of(provider)

    # The editor writes a course, a module and a lesson, and submits each for moderation.
    sign_in_with_form(page, editor.email)
    page.goto(f"/admin/pages/add/courses/coursepage/{section.pk}/")
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

    page.goto(f"/admin/pages/add/courses/lessonpage/{module.pk}/")
    fill_title(page, "Pelajaran 1: Layanan Daring")
    page.fill("#id_estimated_minutes", "20")
    page.locator("[data-contentpath=body] button.c-sf-add-button").first.click()
    page.get_by_role("option", name=_("Text"), exact=True).click()
    type_rich_text(
        page,
        page.locator("[data-contentpath=body] [contenteditable=true]").first,
        "Warga kini mengurus layanan lewat kanal daring.",
    )
    screenshot(page, "admin-lesson-editor")
    submit_for_moderation(page)
    lesson = LessonPage.objects.get(title="Pelajaran 1: Layanan Daring")
    pages = [course, module, lesson]
    assert all(item.current_workflow_state.status == "in_progress" for item in pages)
    published = WagtailPage.objects.filter(pk__in=[item.pk for item in pages])
    assert not any(published.values_list("live", flat=True))

    # Nothing is public yet.
    page.context.clear_cookies()
    page.goto("/katalog/")
    expect(page.locator("main")).not_to_contain_text("Pelayanan Prima Digital")

    # The organization's moderator approves each page, which publishes it.
    sign_in_with_form(page, moderator.email)
    for item in pages:
        page.goto(f"/admin/pages/{item.pk}/edit/")
        page.locator("footer .w-dropdown__toggle").first.click()
        click_and_wait(
            page,
            page.locator(
                "button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
            ),
        )
    assert all(published.values_list("live", flat=True))

    page.goto("/katalog/")
    page.get_by_role("link", name="Pelayanan Prima Digital").first.click()
    page.wait_for_url(f"**/{course.slug}/")
    expect(page.locator("main")).to_contain_text("Pelajaran 1: Layanan Daring")
