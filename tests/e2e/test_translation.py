"""Translating a lesson in a real browser: the organization's moderator (who may publish;
an editor's translation goes to moderation like any change) submits it for translation into
English, translates its title in wagtail-localize's editor and publishes it; the lesson under
/en/ shows the English title, the Indonesian address the Indonesian one."""

import re

from django.utils import translation
from playwright.sync_api import Page, expect

from courses.factories import course_with_lessons, provider_page_of
from courses.models import LessonPage
from learners.factories import UserFactory
from tests.e2e.helpers import E2E, _, click_and_wait, screenshot

pytestmark = E2E


def test_a_moderator_translates_a_lesson_and_it_shows_under_en(page: Page, provider, sign_in):
    course = course_with_lessons(provider_page=provider_page_of(provider), title="Etika Pelayanan")
    lesson = LessonPage.objects.descendant_of(course).order_by("path").first()
    with translation.override("id-id"):
        lesson_url = lesson.url
    moderator = UserFactory(email="moderator@lan.go.id", full_name="Moderator LAN")
    moderator.groups.add(provider.moderators_group)
    sign_in(moderator)

    page.goto(f"/admin/localize/submit/page/{lesson.pk}/?select_locale=en")
    click_and_wait(page, page.get_by_role("button", name=_("Submit")))
    screenshot(page, "translation-editor")

    # The title is the first string of the lesson: translate it, save it, publish.
    page.get_by_role("button", name=re.compile(r"^(Translate|Terjemahkan)$")).first.click()
    page.locator("textarea").first.fill("Public service ethics, lesson one")
    page.get_by_role("button", name=re.compile(r"^(Save|Simpan)$")).first.click()
    expect(page.get_by_text("Public service ethics, lesson one").first).to_be_visible()
    screenshot(page, "translation-editor-translated")
    click_and_wait(
        page,
        # wagtail-localize's "Publish in " (Indonesian in locale-wagtail/) and the locale's name.
        page.get_by_role(
            "button", name=re.compile(r"(Publish in|Publikasikan dalam) English")
        ).first,
    )

    page.context.clear_cookies()
    page.goto("/en" + lesson_url)
    expect(page.locator("h1")).to_contain_text("Public service ethics, lesson one")
    expect(page.locator(".untranslated-notice")).to_have_count(0)
    page.goto(lesson_url)
    expect(page.locator("h1")).to_contain_text(lesson.title)
