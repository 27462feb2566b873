"""Factories for the catalog pages; used by the tests and by `seed_demo` alike."""

from decimal import Decimal

import factory
import wagtail_factories
from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils.text import slugify
from modelsearch.backends import get_search_backends_with_name
from modelsearch.index import insert_or_update_object
from wagtail.models import Page

from content.factories import CompetencyFactory, OrganizationFactory, paragraph
from content.models import Organization
from courses.models import CourseCompetency, CoursePage, LessonPage, ModulePage, ProviderPage
from courses.outline import outline_changed
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


def children_in_bulk(parent: Page, model: type[Page], titles: list[str], **fields) -> list[Page]:
    """Live pages of `model` appended under `parent`, one insert per table (their tree paths
    computed here, as demo/scale.py does at benchmark sizes): `add_child` saves a page at a time
    with its validation, signals and tree queries, about 6 s of CPU for a course of 1,000
    lessons. The pages carry the columns a factory's would. No save signal is sent: the
    course outline's version is renewed and the pages are indexed for search here, but
    enrollments' stored progress is not counted again, so build before enrolling anyone."""
    existing = parent.numchild
    content_type = ContentType.objects.get_for_model(model)
    pages = []
    for step, title in enumerate(titles, start=existing + 1):
        slug = slugify(title)
        pages.append(
            model(
                title=title, draft_title=title, slug=slug, live=True,
                path=model._get_path(parent.path, parent.depth + 1, step),
                depth=parent.depth + 1, numchild=0, url_path=f"{parent.url_path}{slug}/",
                content_type=content_type, locale_id=parent.locale_id, **fields,
            )
        )  # fmt: skip
    # Multi-table pages: the `wagtailcore_page` rows first (bulk_create refuses the specific
    # model but takes its instances as rows of `Page`), then the specific table's.
    Page.objects.bulk_create(pages)
    for page in pages:
        page.page_ptr_id = page.id
    model._base_manager._insert(pages, fields=model._meta.local_concrete_fields)
    for page in pages:
        page._state.adding = False
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    parent.numchild += len(pages)
    outline_changed(parent.path)
    # Indexed for search as a save would index them, where a search backend updates itself.
    if next(get_search_backends_with_name(with_auto_update=True), None) is not None:
        for page in pages:
            insert_or_update_object(page)
    return pages


def course_with_lessons_in_bulk(
    *, provider_page: ProviderPage, modules: int, lessons_per_module: int, **course_fields
) -> CoursePage:
    """`course_with_lessons` for courses of hundreds of lessons: the course from its factory,
    its modules and lessons inserted in bulk (`children_in_bulk`), with the factories' fields."""
    course = CoursePageFactory(parent=provider_page, **course_fields)
    CourseCompetencyFactory(page=course)
    module_pages = children_in_bulk(
        course, ModulePage,
        [f"Modul {number}: {course.title}" for number in range(1, modules + 1)],
        summary=ModulePageFactory.summary,
    )  # fmt: skip
    for module_number, module in enumerate(module_pages, start=1):
        children_in_bulk(
            module, LessonPage,
            [
                f"Pelajaran {module_number}.{number}: {course.title}"
                for number in range(1, lessons_per_module + 1)
            ],
            estimated_minutes=LessonPageFactory.estimated_minutes,
            required_for_completion=LessonPageFactory.required_for_completion,
            body=LessonPageFactory.body.function(),
        )  # fmt: skip
    return course
