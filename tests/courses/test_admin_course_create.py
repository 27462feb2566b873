"""Creating a course in the Wagtail admin: the editor sees the fields and can submit a draft."""

import pytest
from django.urls import reverse

from content.factories import CompetencyFactory
from courses.factories import provider_page_of
from courses.models import CoursePage

pytestmark = pytest.mark.django_db


def _add_course_url(provider) -> str:
    return reverse(
        "wagtailadmin_pages:add", args=["courses", "coursepage", provider_page_of(provider).pk]
    )


def test_new_course_form_shows_its_content_fields(client_for, editor_a, provider_a):
    # The read-only provider panel used to raise (no provider yet), emptying the whole tab.
    html = client_for(editor_a).get(_add_course_url(provider_a)).content.decode()
    assert 'id="id_title"' in html and 'id="id_summary"' in html


def test_new_course_submitted_for_moderation_gets_its_provider(client_for, editor_a, provider_a):
    # Drafts are saved with Wagtail's minimal_clean(), which used to leave the provider empty.
    competency = CompetencyFactory()
    response = client_for(editor_a).post(
        _add_course_url(provider_a),
        {
            "title": "Pelayanan Prima Digital",
            "slug": "pelayanan-prima-digital",
            "summary": "Melayani warga dengan kanal digital.",
            "description": '{"blocks": [{"key": "a1b2c", "type": "unstyled", "depth": 0,'
            ' "text": "Pelatihan daring.", "inlineStyleRanges": [], "entityRanges": []}],'
            ' "entityMap": {}}',
            "jp": "2",
            "estimated_weeks": "1",
            "level": "dasar",
            "language": "id",
            "learning_mode": "e_learning",
            "enrollment_policy": "open",
            "completion_rule": "required_lessons",
            "certificate_enabled": "on",
            "behaviour_followup_days": "90",
            "course_competencies-TOTAL_FORMS": "1",
            "course_competencies-INITIAL_FORMS": "0",
            "course_competencies-MIN_NUM_FORMS": "1",
            "course_competencies-MAX_NUM_FORMS": "1000",
            "course_competencies-0-competency": competency.pk,
            "course_competencies-0-target_level": "2",
            "course_competencies-0-ORDER": "1",
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0",
            "comments-MAX_NUM_FORMS": "1000",
            "action-submit": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    course = CoursePage.objects.get(slug="pelayanan-prima-digital")
    assert course.provider == provider_a
    assert not course.live
    assert course.current_workflow_state is not None
