""" "My learning" and the lesson page use the same number of queries for 2 or 30 of anything."""

import pytest
from django.test import Client

from courses.factories import course_with_lessons, provider_page_of
from courses.models import LessonPage
from learners import progress, services
from learners.factories import UserFactory
from tests.utils import count_queries

pytestmark = pytest.mark.django_db


def learner_with_courses(provider, email: str, count: int) -> Client:
    learner = UserFactory(email=email)
    section = provider_page_of(provider)
    for n in range(count):
        course = course_with_lessons(
            provider_page=section, title=f"{email} {n}", modules=1, lessons_per_module=2
        )
        services.enrollment_create(user=learner, course=course)
        first = LessonPage.objects.descendant_of(course).first()
        progress.lesson_complete(user=learner, lesson=first)
        if n % 3 == 0:
            progress.lesson_complete(
                user=learner, lesson=LessonPage.objects.descendant_of(course).last()
            )
    client = Client()
    client.force_login(learner)
    return client


def test_my_learning_queries_do_not_grow_with_enrollments(provider_a):
    few = learner_with_courses(provider_a, "sedikit@instansi.go.id", 2)
    many = learner_with_courses(provider_a, "banyak@instansi.go.id", 30)
    assert count_queries(few, "/saya/") == count_queries(many, "/saya/")


def test_lesson_page_queries_for_a_learner_do_not_grow_with_lessons(provider_a):
    learner = UserFactory(email="pelajar@instansi.go.id")
    section = provider_page_of(provider_a)
    small = course_with_lessons(provider_page=section, title="Dua", modules=1, lessons_per_module=2)
    large = course_with_lessons(
        provider_page=section, title="Tiga puluh", modules=3, lessons_per_module=10
    )
    client = Client()
    client.force_login(learner)
    counts = []
    for course in (small, large):
        services.enrollment_create(user=learner, course=course)
        lessons = list(LessonPage.objects.descendant_of(course).order_by("path"))
        progress.lesson_complete(user=learner, lesson=lessons[0])
        counts.append(count_queries(client, lessons[1].url))
    assert counts[0] == counts[1]
