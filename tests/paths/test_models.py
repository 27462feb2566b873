"""What an editor may publish as a learning path: each step a course or an activity, at least
one required step, no course twice, a competency with its level."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from courses.factories import provider_page_of
from development.factories import form_of
from paths.factories import course_step, learning_path
from paths.forms import step_problems
from paths.models import LearningPathPage, LearningPathStep

pytestmark = pytest.mark.django_db


def test_a_step_is_a_course_or_an_activity_not_both_nor_neither(course_a):
    with pytest.raises(ValidationError) as both:
        LearningPathStep(course=course_a, development_form=form_of("mentoring")).clean()
    with pytest.raises(ValidationError) as neither:
        LearningPathStep().clean()
    assert both.value.code == neither.value.code == "course_xor_activity"


def test_an_activity_step_needs_its_minimum_jp_and_a_description():
    with pytest.raises(ValidationError) as error:
        LearningPathStep(development_form=form_of("mentoring")).clean()
    assert set(error.value.message_dict) == {"min_jp", "description"}
    LearningPathStep(
        development_form=form_of("mentoring"), min_jp=Decimal(2), description="Mentoring"
    ).clean()


def test_a_course_step_has_no_minimum_jp(course_a):
    with pytest.raises(ValidationError) as error:
        LearningPathStep(course=course_a, min_jp=Decimal(2)).clean()
    assert "min_jp" in error.value.message_dict


def test_steps_need_one_required_and_no_course_twice():
    assert [p.code for p in step_problems([(1, None, False), (None, 3, False)])] == [
        "no_required_step"
    ]
    assert [p.code for p in step_problems([(1, None, True), (1, None, False)])] == [
        "duplicate_course"
    ]
    assert step_problems([(1, None, True), (None, 3, False), (None, 3, True)]) == []


def test_a_path_without_a_required_step_is_refused(provider_a, course_a):
    with pytest.raises(ValidationError) as error:
        learning_path(
            provider_page=provider_page_of(provider_a),
            steps=[course_step(course_a, required=False)],
        )
    assert [e.code for e in error.value.error_dict["__all__"]] == ["no_required_step"]
    assert not LearningPathPage.objects.exists()


def test_a_path_with_a_course_twice_is_refused(provider_a, course_a):
    with pytest.raises(ValidationError) as error:
        learning_path(
            provider_page=provider_page_of(provider_a),
            steps=[course_step(course_a), course_step(course_a, required=False)],
        )
    assert [e.code for e in error.value.error_dict["__all__"]] == ["duplicate_course"]


def test_a_target_competency_needs_its_level(provider_a, course_a):
    from content.factories import CompetencyFactory

    with pytest.raises(ValidationError) as error:
        learning_path(
            provider_page=provider_page_of(provider_a),
            steps=[course_step(course_a)],
            target_competency=CompetencyFactory(),
        )
    assert "target_level" in error.value.message_dict


def test_the_path_takes_its_provider_from_its_section(path, provider_a):
    assert path.provider_id == provider_a.pk
    assert [step.course_id is not None for step in path.steps.all()] == [True, False, True]


def test_the_admin_form_refuses_steps_without_a_required_one(path, editor_a, client_for):
    """The rules across steps are checked on what the editor submitted, before saving."""
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

    step = path.steps.first()
    data = nested_form_data(
        {
            "title": path.title,
            "slug": path.slug,
            "summary": "",
            "intro": rich_text("<p>Jalur.</p>"),
            "target_position": "",
            "target_competency": "",
            "target_level": "",
            "steps": inline_formset(
                [
                    {"id": step.pk, "course": step.course_id, "required": False},
                ],
                initial=1,
                min=1,
            ),
            "certificate_enabled": "on",
            "signatory_name": "",
            "signatory_nip": "",
            "signatory_title": "",
        }
    )
    response = client_for(editor_a).post(f"/admin/pages/{path.pk}/edit/", data)
    assert response.status_code == 200
    assert "at least one required step" in response.content.decode() or (
        "minimal satu langkah wajib" in response.content.decode()
    )


def test_the_content_api_lists_paths_with_their_steps(path, course_a):
    from django.test import Client

    response = Client().get(
        "/api/v2/pages/",
        {"type": "paths.LearningPathPage", "fields": "steps,target_level,provider"},
    )
    assert response.status_code == 200
    [item] = response.json()["items"]
    assert item["title"] == path.title
    assert [step["kind"] for step in item["steps"]] == ["course", "activity", "course"]
    assert item["steps"][0]["course_title"] == course_a.title
    assert item["steps"][1]["development_form"] == "mentoring"
    assert item["steps"][1]["min_jp"] == "4.00"


def test_editors_of_another_organization_cannot_edit_the_path(path, editor_b, editor_a, client_for):
    assert client_for(editor_a).get(f"/admin/pages/{path.pk}/edit/").status_code == 200
    response = client_for(editor_b).get(f"/admin/pages/{path.pk}/edit/")
    assert response.status_code == 302
    assert (
        client_for(editor_b)
        .get(f"/admin/pages/add/paths/learningpathpage/{path.get_parent().pk}/")
        .status_code
        == 302
    )
