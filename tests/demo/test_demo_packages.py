"""The demo's package lessons (`demo.packages`): a SCORM and an H5P lesson in the information
security course, as the README's demo section says, seeded once."""

from pathlib import Path

import pytest
from django.conf import settings

from courses.factories import (
    CoursePageFactory,
    LessonPageFactory,
    ModulePageFactory,
    ProviderFactory,
    provider_page_of,
)
from courses.services import site_structure_ensure
from demo.builders import SeedReport
from demo.packages import COURSE_SLUG, seed_packages
from learners import services
from learners.factories import UserFactory
from packages.models import Package, PackageLessonPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def security_course():
    """The demo course the packages join, with its two modules of two lessons."""
    site_structure_ensure()
    provider = ProviderFactory(name="Cakrawala", short_name="Cakrawala", slug="cakrawala")
    course = CoursePageFactory(
        parent=provider_page_of(provider),
        title="Keamanan Informasi dan Pelindungan Data Pribadi",
        slug=COURSE_SLUG,
    )
    for title in ("Kebiasaan Aman Digital", "Pelindungan Data Pribadi"):
        module = ModulePageFactory(parent=course, title=title)
        LessonPageFactory(parent=module)
        LessonPageFactory(parent=module)
    return course


def test_seed_packages_adds_a_scorm_and_an_h5p_lesson_once(security_course):
    report = SeedReport()
    lessons = seed_packages(report)
    assert seed_packages(report) == []

    scorm, h5p = sorted(lessons, key=lambda lesson: lesson.path)
    assert report.created == {"package lessons": 2}
    assert (scorm.package.kind, scorm.package.schema_version) == (Package.Kind.SCORM12, "1.2")
    assert h5p.package.kind == Package.Kind.H5P
    assert h5p.pass_mark == 60
    # Each ends its module, after the module's own lessons.
    for lesson, module_title in (
        (scorm, "Kebiasaan Aman Digital"),
        (h5p, "Pelindungan Data Pribadi"),
    ):
        module = lesson.get_parent()
        assert module.title == module_title
        assert module.get_children().last().pk == lesson.pk
        assert lesson.live
        assert lesson.package.organization == security_course.provider
    assert PackageLessonPage.objects.count() == 2

    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    demo_section = " ".join(readme[readme.index("## Demo accounts") :].split("\n## ")[0].split())
    assert f"*{security_course.title}* has a SCORM lesson (*Latihan: Kata Sandi yang Aman*" in (
        demo_section
    )
    assert scorm.title.startswith("Latihan: Kata Sandi yang Aman")
    assert h5p.title.startswith("Kuis: Pelindungan Data Pribadi")


def test_demo_package_lessons_render_for_an_enrolled_learner(client, security_course):
    lessons = seed_packages()
    learner = UserFactory()
    services.enrollment_create(user=learner, course=security_course)
    client.force_login(learner)
    for lesson in lessons:
        response = client.get(lesson.url)
        assert response.status_code == 200
        assert b'id="package-player"' in response.content
        assert b'id="package-runtime"' in response.content
