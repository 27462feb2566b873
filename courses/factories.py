"""Factories for the catalog pages; used by the tests and by `seed_demo` alike."""

from decimal import Decimal

import factory
import wagtail_factories
from django.utils.text import slugify

from content.factories import CompetencyFactory, OrganizationFactory, paragraph
from content.models import Organization
from courses.models import CourseCompetency, CoursePage, LessonPage, ModulePage, ProviderPage
from courses.services import organization_setup


class ProviderFactory(OrganizationFactory):
    """An organization set up with its catalog and library sections, groups and workflow."""

    class Meta:
        skip_postgeneration_save = True  # organization_setup saves the organization itself

    @factory.post_generation
    def sections(organization: Organization, create: bool, extracted, **kwargs):
        if create:
            organization_setup(organization=organization)


def provider_page_of(organization: Organization) -> ProviderPage:
    return ProviderPage.objects.get(organization=organization)


class CoursePageFactory(wagtail_factories.PageFactory):
    """A course; give it a `ProviderPage` as parent (its provider follows from it)."""

    title = factory.Sequence(lambda n: f"Pelatihan Pelayanan Publik {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    summary = "Meningkatkan kualitas layanan kepada masyarakat."
    description = "<p>Pelatihan daring mandiri untuk ASN.</p>"
    level = "dasar"
    jp = Decimal("2")
    language = "id"
    learning_mode = "e_learning"
    enrollment_policy = "open"

    class Meta:
        model = CoursePage


class CourseCompetencyFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory(CoursePageFactory)
    competency = factory.SubFactory(CompetencyFactory)
    target_level = 2

    class Meta:
        model = CourseCompetency


class ModulePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Modul {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    summary = "Konsep dan praktik."

    class Meta:
        model = ModulePage


class LessonPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Pelajaran {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    estimated_minutes = 20
    required_for_completion = True
    body = factory.LazyFunction(
        lambda: [
            {"type": "heading", "value": {"text": "Tujuan pembelajaran", "level": "h2"}},
            paragraph("Setelah mempelajari bagian ini, peserta mampu menjelaskan konsep utama."),
        ]
    )

    class Meta:
        model = LessonPage


def course_with_lessons(
    *, provider_page: ProviderPage, modules: int = 2, lessons_per_module: int = 2, **course_fields
) -> CoursePage:
    """A published course with a competency, `modules` modules and their lessons."""
    course = CoursePageFactory(parent=provider_page, **course_fields)
    CourseCompetencyFactory(page=course)
    for module_number in range(1, modules + 1):
        module = ModulePageFactory(parent=course, title=f"Modul {module_number}: {course.title}")
        for lesson_number in range(1, lessons_per_module + 1):
            LessonPageFactory(
                parent=module, title=f"Pelajaran {module_number}.{lesson_number}: {course.title}"
            )
    return course
