"""A course's JP and its lessons' minutes: the editor is warned when they disagree, and the
course page shows both without leaving a mismatch unexplained."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from courses.factories import course_with_lessons, provider_page_of
from courses.models import LessonPage
from courses.wagtail_hooks import warn_when_course_jp_and_lesson_minutes_disagree
from courses.workload import jp_and_minutes_disagree, jp_minutes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("jp", "minutes", "disagree"),
    [
        ("2", 135, True),  # 3 JP of lessons for a 2 JP course
        ("3", 135, False),
        ("2", 80, False),  # 1.8 JP: within a quarter JP
        ("2", 101, False),
        ("2", 102, True),  # 2.27 JP
        ("2", 0, False),  # no lessons yet: nothing to compare
        ("0.5", 45, True),
    ],
)
def test_jp_and_minutes_disagree_beyond_a_quarter_jp(jp, minutes, disagree):
    assert jp_and_minutes_disagree(jp=Decimal(jp), minutes=minutes) is disagree


def test_jp_minutes_at_45_minutes_per_jp():
    assert (jp_minutes(Decimal(2)), jp_minutes(Decimal("2.5"))) == (90, 112)


def course_of_135_minutes(provider, *, jp: str, title: str):
    """Three lessons of 45 minutes: 3 JP of study."""
    course = course_with_lessons(
        provider_page=provider_page_of(provider),
        title=title,
        modules=1,
        lessons_per_module=3,
        jp=Decimal(jp),
    )
    LessonPage.objects.descendant_of(course).update(estimated_minutes=45)
    return course


def test_course_editor_warns_when_jp_and_lesson_minutes_disagree(client_for, editor_a, provider_a):
    from wagtail.users.models import UserProfile

    UserProfile.objects.update_or_create(user=editor_a, defaults={"preferred_language": "en"})
    mismatched = course_of_135_minutes(provider_a, jp="2", title="Tidak Cocok")
    matched = course_of_135_minutes(provider_a, jp="3", title="Cocok")
    client = client_for(editor_a)

    html = client.get(reverse("wagtailadmin_pages:edit", args=[mismatched.pk])).content.decode()
    assert "help-warning" in html
    assert "135 minutes, which is 3.0 JP at 45 minutes per JP, but the course credits 2 JP" in html

    html = client.get(reverse("wagtailadmin_pages:edit", args=[matched.pk])).content.decode()
    assert "135 minutes, which is 3.0 JP" in html
    assert "but the course credits" not in html


def test_saving_a_mismatched_course_warns_without_refusing(rf: RequestFactory, provider_a):
    mismatched = course_of_135_minutes(provider_a, jp="2", title="Tidak Cocok")
    matched = course_of_135_minutes(provider_a, jp="3", title="Cocok")

    def warnings_after_saving(course) -> list[str]:
        request = rf.post("/admin/")
        request.session = {}
        request._messages = FallbackStorage(request)
        response = warn_when_course_jp_and_lesson_minutes_disagree(request, course)
        assert response is None  # the save goes ahead
        return [str(message) for message in get_messages(request)]

    [warning] = warnings_after_saving(mismatched)
    assert "2 JP" in warning and "135" in warning
    assert warnings_after_saving(matched) == []


def test_saving_a_lesson_that_makes_its_course_disagree_warns(rf: RequestFactory, provider_a):
    course = course_of_135_minutes(provider_a, jp="3", title="Cocok")
    lesson = LessonPage.objects.descendant_of(course).first()

    def warnings_after_saving(page, accept="text/html") -> list[str]:
        request = rf.post("/admin/", HTTP_ACCEPT=accept)
        request.session = {}
        request._messages = FallbackStorage(request)
        with translation.override("en"):
            assert warn_when_course_jp_and_lesson_minutes_disagree(request, page) is None
        return [str(message) for message in get_messages(request)]

    assert warnings_after_saving(lesson) == []
    # A draft of 90 minutes instead of 45, not yet in the lesson's row: 180 minutes, 4 JP.
    lesson.estimated_minutes = 90
    [warning] = warnings_after_saving(lesson)
    assert "“Cocok” credits 3 JP" in warning and "180 minutes" in warning
    # An autosave (answered in JSON) adds no message.
    assert warnings_after_saving(lesson, accept="application/json") == []


def test_course_page_says_which_figure_is_credited_when_they_disagree(client, provider_a):
    mismatched = course_of_135_minutes(provider_a, jp="2", title="Tidak Cocok")
    matched = course_of_135_minutes(provider_a, jp="3", title="Cocok")
    # Both addresses first: a request in English activates English for the next `.url`.
    mismatched_url, matched_url = f"/en{mismatched.url}", f"/en{matched.url}"

    html = client.get(mismatched_url).content.decode()
    assert "135 minutes" in html
    assert "2 JP (90 minutes) are credited on completion" in html

    html = client.get(matched_url).content.decode()
    assert "135 minutes" in html
    assert "are credited on completion" not in html
