"""The home page routes a path straight to the page stored at it (HomePage.route): the specific
page when live, the tree walk's 404 otherwise."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from courses.models import LessonPage, ModulePage, _page_at

pytestmark = pytest.mark.django_db


def _lesson(course):
    return LessonPage.objects.child_of(ModulePage.objects.child_of(course).first()).first()


def test_a_lesson_is_found_by_its_path_as_its_specific_page_in_two_queries(course_a):
    lesson = _lesson(course_a)
    with CaptureQueriesContext(connection) as queries:
        found = _page_at(lesson.url_path)
    assert type(found) is LessonPage
    assert (found.pk, found.title, len(found.body)) == (lesson.pk, lesson.title, len(lesson.body))
    assert len(queries) == 2
    # The same page Wagtail's specific() finds at that path.
    assert found == Page.objects.filter(url_path=lesson.url_path).specific().first()


def test_an_unknown_path_finds_nothing(site_tree):
    assert _page_at("/home/tidak-ada/") is None


def test_a_live_lesson_is_served_and_an_unpublished_one_is_not_found(client, course_a):
    lesson = _lesson(course_a)
    assert client.get(lesson.url).status_code == 200
    url = lesson.url
    lesson.unpublish()
    assert client.get(url).status_code == 404
    assert client.get(url.rstrip("/") + "-tidak-ada/").status_code == 404
