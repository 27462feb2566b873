"""Questions about one lesson: the lesson page's "ask about this lesson" link, the course
discussion opened on that lesson (its questions, the form's lesson chosen), and lesson ids that
are not the course's."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from courses.factories import course_with_lessons_in_bulk, provider_page_of
from courses.models import LessonPage
from discussions import services
from discussions.models import Thread
from learners.factories import UserFactory

pytestmark = pytest.mark.django_db

ASK = "Ask about this lesson"


def _lessons(course) -> list[LessonPage]:
    return list(LessonPage.objects.descendant_of(course).order_by("path"))


def _ask_url(course, lesson) -> str:
    return f"{reverse('discussions:course', args=[course.pk])}?lesson={lesson.pk}"


def _selected_lesson(html: str) -> list[str]:
    select = re.search(r'<select name="lesson".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="(\d*)" selected>', select)


def test_enrolled_learner_is_offered_to_ask_about_the_lesson(client_for, course_a, learner):
    lesson = _lessons(course_a)[1]
    response = client_for(learner).get(lesson.url)
    html = response.content.decode()
    assert ASK in html
    assert f'href="{_ask_url(course_a, lesson)}#ask-title"' in html


@pytest.mark.parametrize("who", ["anonymous", "stranger", "trainer"])
def test_people_outside_the_course_are_not_offered_the_link(client_for, course_a, trainer, who):
    # The trainer is not enrolled: the lesson page knows only enrollments (no query added);
    # trainers reach the discussion from the course and cohort pages.
    client = {
        "anonymous": Client(),
        "stranger": client_for(UserFactory(email="lain@instansi.go.id")),
        "trainer": client_for(trainer),
    }[who]
    response = client.get(_lessons(course_a)[0].url)
    assert response.status_code == 200
    assert ASK not in response.content.decode()


def test_the_discussion_opens_on_the_lesson(client_for, course_a, learner):
    first, second = _lessons(course_a)[:2]
    services.thread_create(
        author=learner, course=course_a, lesson=first, title="Tentang pelajaran satu", body="?"
    )
    services.thread_create(
        author=learner, course=course_a, lesson=second, title="Tentang pelajaran dua", body="?"
    )
    services.thread_create(author=learner, course=course_a, title="Tentang kursus", body="?")

    response = client_for(learner).get(_ask_url(course_a, first))
    html = response.content.decode()
    assert response.status_code == 200
    assert _selected_lesson(html) == [str(first.pk)]
    assert f"Questions about {first.title}" in html
    assert "Tentang pelajaran satu" in html
    assert "Tentang pelajaran dua" not in html and "Tentang kursus" not in html
    assert "All questions of this course" in html
    # The form posts back to the lesson's view of the list (without the link's "#ask-title").
    assert f'action="{_ask_url(course_a, first)}"' in html
    # Every lesson stays in the drop-down, so the asker can change it.
    assert html.count('<option value="') == len(_lessons(course_a)) + 1


def test_the_lessons_are_grouped_by_their_module(client_for, course_a, learner):
    html = client_for(learner).get(reverse("discussions:course", args=[course_a.pk])).content
    groups = re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', html.decode(), re.S)
    by_module: dict[str, list[str]] = {}
    for lesson in _lessons(course_a):
        by_module.setdefault(lesson.get_parent().title, []).append(str(lesson.pk))
    assert [label for label, _options in groups] == list(by_module)
    for label, options in groups:
        assert re.findall(r'<option value="(\d+)"', options) == by_module[label]


def test_without_a_lesson_every_question_is_listed_and_none_chosen(client_for, course_a, learner):
    first = _lessons(course_a)[0]
    services.thread_create(
        author=learner, course=course_a, lesson=first, title="Tentang pelajaran satu", body="?"
    )
    services.thread_create(author=learner, course=course_a, title="Tentang kursus", body="?")
    html = client_for(learner).get(reverse("discussions:course", args=[course_a.pk])).content
    html = html.decode()
    assert "Tentang pelajaran satu" in html and "Tentang kursus" in html
    # A question's lesson leads to that lesson's questions.
    assert f'<a href="{_ask_url(course_a, first)}">about {first.title}</a>' in html
    assert _selected_lesson(html) == [""]  # "The whole course"


def test_posting_from_the_lesson_link_keeps_the_lesson(client_for, course_a, learner):
    lesson = _lessons(course_a)[2]
    response = client_for(learner).post(
        _ask_url(course_a, lesson),
        {"title": "Apa maksud contoh ini?", "body": "Mohon penjelasan.", "lesson": lesson.pk},
    )
    thread = Thread.objects.get(title="Apa maksud contoh ini?")
    assert response.status_code == 302
    assert thread.lesson_id == lesson.pk and thread.course_id == course_a.pk


@pytest.mark.parametrize("value", ["foreign", "draft", "course", "abc", "0", "-3", "9" * 30, ""])
def test_a_lesson_not_of_the_course_is_refused_with_a_clear_message(
    client_for, course_a, course_b, learner, value
):
    draft = _lessons(course_a)[3]
    draft.unpublish()
    lesson_id = {
        "foreign": _lessons(course_b)[0].pk,
        "draft": draft.pk,
        "course": course_a.pk,
    }.get(value, value)
    services.thread_create(author=learner, course=course_a, title="Tentang kursus", body="?")
    response = client_for(learner).get(
        reverse("discussions:course", args=[course_a.pk]), {"lesson": lesson_id}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "That lesson is not part of this course" in html
    assert "Tentang kursus" in html  # the whole list instead
    assert _selected_lesson(html) == [""]
    assert str(_lessons(course_b)[0].pk) not in re.findall(r'<option value="(\d+)"', html)


def test_a_foreign_lesson_cannot_be_posted_from_the_link(client_for, course_a, course_b, learner):
    foreign = _lessons(course_b)[0]
    response = client_for(learner).post(
        _ask_url(course_a, foreign),
        {"title": "Pertanyaan", "body": "Isi.", "lesson": foreign.pk},
    )
    assert response.status_code == 400
    assert "Choose a lesson of this course." in response.content.decode()
    assert not Thread.objects.exists()


def test_non_participants_still_get_404_on_the_lesson_link(client_for, course_a):
    stranger = UserFactory(email="lain@instansi.go.id")
    response = client_for(stranger).get(_ask_url(course_a, _lessons(course_a)[0]))
    assert response.status_code == 404


def test_the_lesson_form_takes_the_same_queries_for_a_course_of_1000_lessons(
    client_for, django_assert_num_queries, course_a, provider_a, learner
):
    """The drop-down lists every lesson from one query; choosing one adds one more (the check
    that it is the course's), whatever the course's size: session, user, course, rights, the
    lesson, the lessons, the questions' count (none, so no page is read)."""
    from learners.services import enrollment_create

    big = course_with_lessons_in_bulk(
        provider_page=provider_page_of(provider_a),
        modules=10,
        lessons_per_module=100,
        title="Kursus Panjang",
    )
    enrollment_create(user=learner, course=big)
    client = client_for(learner)
    for course in (course_a, big):
        url = _ask_url(course, _lessons(course)[-1])
        client.get(url)  # caches warm
        with django_assert_num_queries(7):
            response = client.get(url)
        assert response.status_code == 200
        assert _selected_lesson(response.content.decode()) == [str(_lessons(course)[-1].pk)]
