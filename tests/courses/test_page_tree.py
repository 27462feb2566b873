"""The page tree enforces Home -> Catalog -> Provider -> Course -> Module -> Lesson."""

import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from content.models import LibraryPage, LibrarySectionPage, ResourcePage, StandardPage
from courses.models import CatalogPage, CoursePage, HomePage, LessonPage, ModulePage, ProviderPage


class TestPageTreeRules(WagtailPageTestCase):
    def test_lesson_cannot_be_created_under_the_catalog(self):
        self.assertCanNotCreateAt(CatalogPage, LessonPage)

    def test_lessons_live_only_in_modules(self):
        self.assertAllowedParentPageTypes(LessonPage, {ModulePage})

    def test_modules_live_only_in_courses(self):
        self.assertAllowedParentPageTypes(ModulePage, {CoursePage})
        self.assertAllowedSubpageTypes(CoursePage, {ModulePage})

    def test_courses_live_only_in_provider_sections(self):
        self.assertAllowedParentPageTypes(CoursePage, {ProviderPage})
        self.assertCanNotCreateAt(CatalogPage, CoursePage)
        self.assertAllowedSubpageTypes(CatalogPage, {ProviderPage})

    def test_home_holds_catalog_library_and_standard_pages(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(HomePage, {CatalogPage, LibraryPage, StandardPage})

    def test_resources_live_only_in_library_sections(self):
        self.assertAllowedParentPageTypes(ResourcePage, {LibrarySectionPage})
        self.assertAllowedSubpageTypes(LibraryPage, {LibrarySectionPage})
        self.assertAllowedSubpageTypes(LessonPage, set())


@pytest.mark.django_db
def test_course_provider_is_taken_from_its_section(course_a, provider_a, provider_b):
    course_a.provider = provider_b
    course_a.save()
    course_a.refresh_from_db()
    assert course_a.provider == provider_a


@pytest.mark.django_db
def test_moving_a_course_to_another_section_keeps_provider_in_step(course_a, provider_b):
    from courses.factories import provider_page_of

    course_a.move(provider_page_of(provider_b), pos="last-child")
    course_a.refresh_from_db()
    assert course_a.provider == provider_b
