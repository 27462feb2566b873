"""A path of provider A: two courses (one optional) and a verified mentoring activity."""

import pytest

from courses.factories import course_with_lessons, provider_page_of
from development.factories import form_of
from learners.factories import UserFactory
from paths.factories import activity_step, course_step, learning_path


@pytest.fixture
def course_c(provider_a):
    return course_with_lessons(
        provider_page=provider_page_of(provider_a), title="Menulis Naskah Kebijakan", modules=1
    )


@pytest.fixture
def path(provider_a, course_a, course_c):
    return learning_path(
        provider_page=provider_page_of(provider_a),
        steps=[
            course_step(course_a),
            activity_step(form_of("mentoring"), min_jp=4),
            course_step(course_c, required=False),
        ],
    )


@pytest.fixture
def supervisor(provider_a):
    return UserFactory(email="atasan@lpa.go.id", full_name="Atasan", organization=provider_a)


@pytest.fixture
def learner(provider_a, supervisor):
    return UserFactory(
        email="pegawai@lpa.go.id",
        full_name="Dewi Lestari",
        asn=True,
        organization=provider_a,
        supervised_by=supervisor,
    )
