"""A lesson's view restrictions (its own and its ancestors') are kept with its course's outline
(`courses.outline.view_restrictions`; a course page's too), so a lesson view reads none of them
from the database; a restriction added, changed or removed anywhere above it applies at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction

from courses.models import LessonPage, ModulePage
from learners.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(course_a):
    return LessonPage.objects.child_of(ModulePage.objects.child_of(course_a).first()).first()


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and "next=" in response["Location"]


def restrict(page: Page) -> PageViewRestriction:
    return PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)


@pytest.mark.parametrize("kind", ["lesson", "course"])
def test_a_view_reads_no_restrictions_once_they_are_kept(client, lesson, kind):
    url = lesson.url if kind == "lesson" else lesson.get_parent().get_parent().url
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200

    assert not any(PageViewRestriction._meta.db_table in q["sql"] for q in queries)


def test_a_restriction_added_to_a_kept_course_applies_at_once(client, course_a):
    assert client.get(course_a.url).status_code == 200
    restriction = restrict(course_a)

    assert is_login_redirect(client.get(course_a.url))
    restriction.delete()
    assert client.get(course_a.url).status_code == 200


@pytest.mark.parametrize("level", ["lesson", "module", "course", "home"])
def test_a_restriction_added_above_a_kept_lesson_applies_at_once(client, lesson, level):
    assert client.get(lesson.url).status_code == 200  # its (lack of) restrictions kept
    pages = {
        "lesson": lesson,
        "module": lesson.get_parent(),
        "course": lesson.get_parent().get_parent(),
        "home": lesson.get_ancestors().filter(depth=2).get(),
    }

    restriction = restrict(pages[level])

    assert is_login_redirect(client.get(lesson.url))
    restriction.delete()
    assert client.get(lesson.url).status_code == 200


def test_a_changed_restriction_applies_at_once(client, lesson):
    restriction = restrict(lesson.get_parent())
    assert is_login_redirect(client.get(lesson.url))
    client.force_login(UserFactory())
    assert client.get(lesson.url).status_code == 200

    restriction.restriction_type = PageViewRestriction.PASSWORD
    restriction.password = "rahasia-modul"  # noqa: S105 - a test page's password
    restriction.save()

    response = client.get(lesson.url)
    assert response.status_code == 200
    assert (
        reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, lesson.pk])
        in response.content.decode()
    )


def test_the_admin_privacy_view_reads_a_lessons_restrictions(client_for, admin_user, lesson):
    restrict(lesson.get_parent())
    client_for(admin_user).get(lesson.url)

    response = client_for(admin_user).get(
        reverse("wagtailadmin_pages:set_privacy", args=[lesson.pk])
    )

    assert response.status_code == 200
    # Restricted by its module: the modal links to the module, whose restriction applies.
    module_edit = reverse("wagtailadmin_pages:edit", args=[lesson.get_parent().pk])
    assert module_edit in response.json()["html"]
