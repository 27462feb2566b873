"""Package lessons in the page tree, and the floors of the packages app."""

import importlib.util
import tomllib
from pathlib import Path

import pytest
from wagtail.test.utils import WagtailPageTestCase

from courses.models import ModulePage
from packages.models import PackageLessonPage

ROOT = Path(__file__).resolve().parents[2]
LEARNER_SIDE = ["selectors", "services", "api", "runtime", "views", "templatetags"]


def test_learner_side_modules_of_packages_are_forbidden_to_page_models():
    """`packages.models` is a page-model module: every learner-side module of the app that
    exists must be in the page-models contract (lint-imports refuses one that does not)."""
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    page_models = next(c for c in contracts["contracts"] if c["id"] == "page-models")
    assert "packages.models" in page_models["source_modules"]
    existing = [
        f"packages.{name}" for name in LEARNER_SIDE if importlib.util.find_spec(f"packages.{name}")
    ]
    missing = [name for name in existing if name not in page_models["forbidden_modules"]]
    assert not missing, f"Add to the page-models contract's forbidden_modules: {missing}"


def test_a_package_lesson_is_completed_only_by_its_runtime():
    assert PackageLessonPage.completed_by_learner is False


class TestPackageLessonPlace(WagtailPageTestCase):
    def test_package_lessons_live_in_modules_only(self):
        self.assertAllowedParentPageTypes(PackageLessonPage, {ModulePage})
        self.assertAllowedSubpageTypes(PackageLessonPage, {})
        self.assertCanCreateAt(ModulePage, PackageLessonPage)


@pytest.mark.django_db
def test_a_package_lesson_page_renders(course_a, client):
    from packages.factories import PackageFactory, PackageLessonPageFactory

    module = course_a.get_children().first().specific
    lesson = PackageLessonPageFactory(
        parent=module, package=PackageFactory(organization=course_a.provider), title="Paket Etika"
    )
    response = client.get(lesson.url)
    assert response.status_code == 200
    assert "Paket Etika" in response.content.decode()
