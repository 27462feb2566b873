"""Every page type renders for an anonymous visitor, in Indonesian and in English."""

import pytest
from django.utils import translation
from wagtail.models import Page

from content.factories import ResourcePageFactory
from content.models import LibrarySectionPage, StandardPage
from courses.models import LessonPage, ModulePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def every_page(site_tree, course_a, provider_a):
    module = ModulePage.objects.child_of(course_a).first()
    lesson = LessonPage.objects.child_of(module).first()
    section = LibrarySectionPage.objects.get(organization=provider_a)
    resource = ResourcePageFactory(parent=section, title="Panduan SKM")
    about = site_tree["home"].add_child(
        instance=StandardPage(title="Tentang Lentera", slug="tentang", summary="Tentang kami.")
    )
    return [
        site_tree["home"],
        site_tree["catalog"],
        Page.objects.get(pk=course_a.get_parent().pk),
        course_a,
        module,
        lesson,
        site_tree["library"],
        section,
        resource,
        about,
    ]


def test_every_page_type_renders(client, every_page):
    for page in every_page:
        response = client.get(page.url)
        assert response.status_code == 200, page
        assert page.title in response.content.decode()
        assert response.headers["Content-Language"] == "id-id"


def test_every_page_type_renders_in_english_under_en(client, every_page):
    with translation.override("id-id"):
        urls = [page.url for page in every_page]
    for url in urls:
        response = client.get(f"/en{url}")
        assert response.status_code == 200, url
        assert response.headers["Content-Language"] == "en"


def test_course_page_shows_outline_jp_competency_and_provider(client, course_a):
    html = client.get(course_a.url).content.decode()
    competency = course_a.course_competencies.get().competency
    assert course_a.provider.name in html
    assert competency.name in html
    for lesson in LessonPage.objects.descendant_of(course_a):
        assert lesson.title in html


def test_lesson_page_links_previous_and_next_lessons(client, course_a):
    lessons = list(LessonPage.objects.descendant_of(course_a).order_by("path"))
    html = client.get(lessons[1].url).content.decode()
    assert lessons[0].url in html
    assert lessons[2].url in html
