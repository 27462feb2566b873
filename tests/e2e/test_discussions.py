"""A course's questions and answers in a real browser: an enrolled learner asks about the lesson
they are reading (the lesson chosen for them), the course's trainer answers (marked as the
trainer's), the learner accepts the answer and sees it marked; markup typed in a post shows as
text and never runs."""

import re

import pytest
from playwright.sync_api import Page, expect

from courses.factories import course_with_lessons, provider_page_of
from courses.models import LessonPage
from discussions.models import Thread
from learners.factories import UserFactory
from learners.models import CourseTrainer
from learners.services import enrollment_create
from tests.e2e.helpers import E2E, VIEWPORTS, _, check_page, click_and_wait, screenshot

pytestmark = E2E

HOSTILE = '<script>window.lenteraXss = 1</script><img src=x onerror="window.lenteraXss = 2">'


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_learner_asks_about_a_lesson_the_trainer_answers_and_the_answer_is_accepted(
    page: Page, provider, sign_in, viewport
):
    page.set_viewport_size(VIEWPORTS[viewport])
    course = course_with_lessons(
        provider_page=provider_page_of(provider), title="Etika Pelayanan", modules=1
    )
    lesson = LessonPage.objects.descendant_of(course).order_by("path")[1]
    trainer = UserFactory(email="widyaiswara@instansi.go.id", full_name="Widyaiswara Satu")
    CourseTrainer.objects.create(course=course, user=trainer)
    learner = UserFactory(email="budi@instansi.go.id", full_name="Budi Santoso")
    enrollment_create(user=learner, course=course)

    # The learner, reading the lesson, asks about it: the form has the lesson chosen.
    sign_in(learner)
    page.goto(lesson.url)
    check_page(page)
    click_and_wait(page, page.get_by_role("link", name=_("Ask about this lesson")))
    page.wait_for_url(re.compile(rf"/diskusi/kursus/{course.pk}/\?lesson={lesson.pk}#ask-title$"))
    check_page(page)
    expect(page.get_by_label(_("About the lesson (optional)"))).to_have_value(str(lesson.pk))
    page.get_by_role("textbox", name=_("Question")).fill("Contoh konflik kepentingan?")
    page.get_by_role("textbox", name=_("Details")).fill(f"Apakah ini termasuk: {HOSTILE}")
    click_and_wait(page, page.get_by_role("button", name=_("Post the question")))
    thread = Thread.objects.get(title="Contoh konflik kepentingan?")
    assert thread.lesson_id == lesson.pk
    page.wait_for_url(re.compile(rf"/diskusi/topik/{thread.pk}/$"))
    # The markup shows as typed, and none of it ran.
    expect(page.get_by_text(f"Apakah ini termasuk: {HOSTILE}")).to_be_visible()
    assert page.evaluate("window.lenteraXss") is None
    check_page(page)

    # The course's trainer answers: the answer is marked as the trainer's.
    sign_in(trainer)
    page.reload()
    page.get_by_role("textbox", name=_("Your answer")).fill(
        "Ya: menerima hadiah dari pemohon layanan adalah konflik kepentingan."
    )
    click_and_wait(page, page.get_by_role("button", name=_("Post the answer")))
    answer = page.get_by_role("article", name=_("Answer"))
    expect(answer.get_by_text(_("Trainer's answer"), exact=True)).to_be_visible()
    check_page(page)

    # The learner accepts it and sees it marked as accepted.
    sign_in(learner)
    page.reload()
    click_and_wait(page, answer.get_by_role("button", name=_("Accept this answer")))
    expect(page.get_by_text(_("The answer is accepted."))).to_be_visible()
    expect(answer.get_by_text(_("Accepted"), exact=True)).to_be_visible()
    expect(answer.get_by_role("button", name=_("Accept this answer"))).to_have_count(0)
    assert page.evaluate("window.lenteraXss") is None
    check_page(page)
    screenshot(page, f"discussion-accepted-{viewport}")

    # The course's questions show it answered; its lesson leads to that lesson's questions.
    page.goto(f"/diskusi/kursus/{course.pk}/")
    expect(page.get_by_text(_("Answered"), exact=True)).to_be_visible()
    check_page(page)
    click_and_wait(
        page, page.get_by_role("link", name=_("about %(lesson)s") % {"lesson": lesson.title})
    )
    heading = _("Questions about %(lesson)s") % {"lesson": lesson.title}
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_role("link", name="Contoh konflik kepentingan?")).to_be_visible()
    check_page(page)
    thread.refresh_from_db()
    assert thread.accepted_answer is not None and thread.accepted_answer.author == trainer
