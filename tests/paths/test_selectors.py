"""Reads of paths in a fixed number of queries, and the paths that answer a person's gaps."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.factories import CompetencyFactory
from courses.factories import CoursePageFactory, provider_page_of
from development.factories import form_of
from learners.factories import EnrollmentFactory, PositionFactory
from paths.factories import activity_step, course_step, learning_path
from paths.selectors import followed_paths, path_progress, paths_for_gaps
from paths.services import path_follow

pytestmark = pytest.mark.django_db

FORMS = ["mentoring", "coaching", "belajar-mandiri", "magang", "detasering"]


def _path_of(provider_a, size: int, title: str):
    """A path of `size` steps, two thirds courses (the learner completed each), a third
    activities."""
    page = provider_page_of(provider_a)
    steps = []
    for number in range(size):
        if number % 3 == 1:
            steps.append(activity_step(form_of(FORMS[number % len(FORMS)]), min_jp=2))
        else:
            steps.append(course_step(CoursePageFactory(parent=page, title=f"{title} {number}")))
    return learning_path(provider_page=page, steps=steps, title=title)


def _queries(function) -> int:
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context)


@pytest.mark.parametrize("size", [2, 15])
def test_progress_reads_in_four_queries(provider_a, learner, size, django_assert_num_queries):
    path = _path_of(provider_a, size, "Jalur")
    path_follow(user=learner, path=path)
    for step in path.steps.filter(course__isnull=False):
        EnrollmentFactory(user=learner, course=step.course, status="completed")
    with django_assert_num_queries(4):
        progress = path_progress(user=learner, path=path)
    assert progress.required_count == size


def test_the_my_learning_block_does_not_grow_with_paths_or_steps(provider_a, learner, client_for):
    small = _path_of(provider_a, 2, "Kecil")
    path_follow(user=learner, path=small)
    client = client_for(learner)
    client.get("/saya/")  # warm the session and caches

    baseline = _queries(lambda: followed_paths(learner))
    for number in range(3):
        path_follow(user=learner, path=_path_of(provider_a, 15, f"Besar {number}"))
    assert _queries(lambda: followed_paths(learner)) == baseline
    assert len(followed_paths(learner)) == 4


def test_the_path_page_does_not_grow_with_steps(provider_a, learner, client_for):
    client = client_for(learner)
    counts = []
    for size in (2, 15):
        path = _path_of(provider_a, size, f"Jalur {size}")
        path_follow(user=learner, path=path)
        url = path.url
        client.get(url)
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(context))
    assert counts[0] == counts[1]


def test_paths_for_gaps_match_competency_levels_and_position(provider_a, course_a):
    page = provider_page_of(provider_a)
    analysis, ethics, other = CompetencyFactory(), CompetencyFactory(), CompetencyFactory()
    position = PositionFactory(organization=provider_a, name="Analis Kebijakan Ahli Muda")
    level_2 = learning_path(
        provider_page=page,
        title="Analisis tingkat 2",
        steps=[course_step(course_a)],
        target_competency=analysis,
        target_level=2,
    )
    level_3 = learning_path(
        provider_page=page,
        title="Analisis tingkat 3",
        steps=[course_step(course_a)],
        target_competency=analysis,
        target_level=3,
    )
    learning_path(  # beyond the level needed
        provider_page=page,
        title="Analisis tingkat 5",
        steps=[course_step(course_a)],
        target_competency=analysis,
        target_level=5,
    )
    learning_path(  # another competency
        provider_page=page,
        title="Lain",
        steps=[course_step(course_a)],
        target_competency=other,
        target_level=2,
    )
    toward_position = learning_path(
        provider_page=page,
        title="Menuju jabatan",
        steps=[course_step(course_a)],
        target_position=position,
    )
    learning_path(  # not published
        provider_page=page,
        title="Draf",
        steps=[course_step(course_a)],
        target_position=position,
        publish=False,
    )

    gaps = {analysis.pk: 3, ethics.pk: 2}
    with CaptureQueriesContext(connection) as context:
        found = paths_for_gaps(competency_levels=gaps, position_id=position.pk)
    assert len(context) == 1
    assert found == [toward_position, level_3, level_2]
    assert paths_for_gaps(competency_levels=gaps, position_id=None, limit=1) == [level_3]
    assert paths_for_gaps(competency_levels={}, position_id=None) == []


def test_paths_for_gaps_leave_out_paths_behind_a_view_restriction(provider_a, course_a):
    from wagtail.models import PageViewRestriction

    position = PositionFactory(organization=provider_a, name="Analis")
    open_path = learning_path(
        provider_page=provider_page_of(provider_a),
        title="Terbuka",
        steps=[course_step(course_a)],
        target_position=position,
    )
    hidden = learning_path(
        provider_page=provider_page_of(provider_a),
        title="Tertutup",
        steps=[course_step(course_a)],
        target_position=position,
    )
    PageViewRestriction.objects.create(page=hidden, restriction_type="login")
    assert paths_for_gaps(competency_levels={}, position_id=position.pk) == [open_path]
