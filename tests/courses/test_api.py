"""Wagtail's API v2 exposes the course fields that partners integrate with."""

import pytest

from courses.factories import course_with_lessons, provider_page_of

pytestmark = pytest.mark.django_db


def test_course_fields_are_exposed(client, course_a, provider_a):
    response = client.get("/api/v2/pages/", {"type": "courses.CoursePage", "fields": "*"})
    assert response.status_code == 200
    [item] = response.json()["items"]
    assert item["title"] == course_a.title
    assert float(item["jp"]) > 0
    assert item["level"] == "dasar"
    assert item["learning_mode"] == "e_learning"
    assert item["enrollment_policy"] == "open"
    assert item["provider"] == {
        "id": provider_a.pk,
        "name": provider_a.name,
        "short_name": provider_a.short_name,
        "kind": provider_a.kind,
    }
    [competency] = item["competencies"]
    assert competency["target_level"] == 2
    assert competency["code"]


def test_unpublished_courses_are_not_listed(client, provider_a):
    section = provider_page_of(provider_a)
    course = course_with_lessons(provider_page=section, title="Draf")
    course.unpublish()
    response = client.get("/api/v2/pages/", {"type": "courses.CoursePage"})
    assert response.json()["meta"]["total_count"] == 0
