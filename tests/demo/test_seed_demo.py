"""`seed_demo` builds the realistic catalog once, and a second run changes nothing."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from content.models import Competency, Organization, ResourcePage
from courses.models import CoursePage, LessonPage, ModulePage
from learners.models import User

pytestmark = pytest.mark.django_db

COUNTED = [
    Page,
    CoursePage,
    ModulePage,
    LessonPage,
    ResourcePage,
    Organization,
    Competency,
    User,
    get_image_model(),
    get_document_model(),
]


def _primary_keys() -> dict[str, list[int]]:
    return {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in COUNTED}


def test_seed_demo_is_idempotent_and_realistic():
    call_command("seed_demo", stdout=io.StringIO())
    first = _primary_keys()
    call_command("seed_demo", stdout=io.StringIO())
    assert _primary_keys() == first

    assert Organization.objects.count() >= 4
    assert set(Organization.objects.values_list("kind", flat=True)) >= {
        "lan",
        "ministry",
        "university",
        "company",
    }
    assert Competency.objects.filter(kind="manajerial").count() == 8
    assert Competency.objects.filter(kind="sosial_kultural").count() == 1
    assert Competency.objects.filter(kind="teknis").count() >= 4
    courses = CoursePage.objects.live()
    assert courses.count() >= 10
    assert len({course.course_competencies.first().competency.kind for course in courses}) >= 3
    for course in courses:
        modules = ModulePage.objects.child_of(course)
        assert modules.count() >= 2
        for module in modules:
            assert LessonPage.objects.child_of(module).count() >= 2
    assert ResourcePage.objects.live().count() >= 6
    assert User.objects.filter(is_superuser=True).exists()


@override_settings(LENTERA_DEMO_ACCOUNTS=False)
def test_seed_demo_refuses_demo_accounts_in_production_without_force():
    with pytest.raises(CommandError, match="Refusing"):
        call_command("seed_demo")
    assert not User.objects.exists()
    assert not CoursePage.objects.exists()
