"""Authoring assignment lessons in the Wagtail admin: where they go, the file types ticked from
the allow-list, the rubric, and the page's own checks."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from assignments.models import AssignmentPage
from courses.models import ModulePage
from learners.factories import UserFactory

pytestmark = pytest.mark.django_db


def _levels(items: list[dict]) -> dict:
    data = {
        str(index): {"value": value, "deleted": "", "order": str(index), "id": ""}
        for index, value in enumerate(items)
    }
    data["count"] = str(len(items))
    return data


def _form(*, file_types: list[str], allow_text: bool = True, points: str = "4") -> dict:
    data = nested_form_data(
        {
            "title": "Tugas Rencana Aksi",
            "slug": "tugas-rencana-aksi",
            "estimated_minutes": "60",
            "required_for_completion": "on",
            "body": streamfield([("paragraph", rich_text("<p>Susun rencana aksi.</p>"))]),
            "due_days": "14",
            "max_file_mb": "5",
            "pass_mark": "70",
            "rubric": streamfield(
                [
                    (
                        "criterion",
                        {
                            "name": "Analisis",
                            "description": "",
                            "levels": _levels(
                                [
                                    {"label": "Baik", "points": points, "description": ""},
                                    {"label": "Kurang", "points": "0", "description": ""},
                                ]
                            ),
                        },
                    )
                ]
            ),
            "action-publish": "publish",
        }
    )
    if allow_text:
        data["allow_text"] = "on"
    data["allowed_file_types"] = file_types
    return data


def test_assignments_sit_in_modules_only():
    assert AssignmentPage.allowed_parent_page_models() == [ModulePage]
    assert AssignmentPage in ModulePage.allowed_subpage_models()
    assert AssignmentPage.allowed_subpage_models() == []


def test_editors_author_an_assignment_with_file_types_and_a_rubric(course_a):
    admin = Client()
    admin.force_login(UserFactory(email="admin@instansi.go.id", is_staff=True, is_superuser=True))
    module = ModulePage.objects.child_of(course_a).first()
    url = reverse("wagtailadmin_pages:add", args=("assignments", "assignmentpage", module.pk))
    assert admin.get(url).status_code == 200

    # A type outside the allow-list, a learner with no way to answer, a criterion worth nothing.
    response = admin.post(url, _form(file_types=["exe"]))
    assert "allowed_file_types" in response.context["form"].errors
    response = admin.post(url, _form(file_types=[], allow_text=False))
    assert "allow_text" in response.context["form"].errors
    response = admin.post(url, _form(file_types=["pdf"], points="0"))
    assert "rubric" in response.context["form"].errors
    assert not AssignmentPage.objects.exists()

    response = admin.post(url, _form(file_types=["pdf", "docx"]))
    assert response.status_code == 302
    page = AssignmentPage.objects.get(slug="tugas-rencana-aksi")
    assert page.live
    assert page.allowed_file_types == ["pdf", "docx"]
    assert page.max_points == 4
    assert [criterion["name"] for criterion in page.criteria()] == ["Analisis"]
