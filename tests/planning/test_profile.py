"""The competency profile: required levels, the current level from the most recent evidence of
three sources, the gap, other competencies with evidence, courses for the gaps."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.factories import CompetencyFactory
from learners.factories import UserFactory
from planning.selectors import Source, competency_profile

from .conftest import endorsed_need
from .helpers import completion, course_developing, supervisor_rating


def _rows(profile):
    return {row.competency.code: row for row in profile.required}


def test_every_required_competency_is_listed_with_its_level_and_no_evidence_yet(owner):
    profile = competency_profile(owner)
    assert profile.position_name == "Analis Kebijakan Ahli Muda"
    assert {row.competency.code: row.required for row in profile.required} == {
        "T.01": 3,
        "M.01": 2,
        "M.02": 4,
    }
    for row in profile.required:
        assert row.current is None and row.gap is None and row.has_gap
    assert profile.other == [] and profile.met == 0


def test_each_source_gives_a_level_and_the_most_recent_one_counts(
    owner, supervisor, competencies, provider_a
):
    policy, integrity, teamwork = competencies
    # Policy analysis: self-assessed 1 (a year ago), post-test level 2 (90 days), rated 3 (10).
    endorsed_need(owner, policy, current=1, target=3, days_ago=365, by=supervisor)
    completion(
        owner, course_developing(provider_a, (policy, 2), title="Dasar Kebijakan"), days_ago=90
    )
    rated = course_developing(provider_a, (policy, 3), (integrity, 2), title="Kebijakan Lanjut")
    supervisor_rating(owner, rated, {policy: 3, integrity: 2}, days_ago=10, supervisor=supervisor)
    # Teamwork: a post-test two days ago is newer than the self-assessment of a week ago.
    endorsed_need(owner, teamwork, current=3, target=4, days_ago=7, by=supervisor)
    completion(owner, course_developing(provider_a, (teamwork, 2)), days_ago=2)

    rows = _rows(competency_profile(owner))
    policy_row = rows["T.01"]
    assert policy_row.current.source == Source.SUPERVISOR
    assert policy_row.current.level == 3 and policy_row.current.course_title == "Kebijakan Lanjut"
    assert policy_row.gap == 0 and not policy_row.has_gap
    assert [item.source for item in policy_row.sources()] == [
        Source.SUPERVISOR,
        Source.POST_TEST,
        Source.SELF_ASSESSMENT,
    ]
    assert rows["M.01"].current.source == Source.SUPERVISOR and rows["M.01"].gap == 0
    # The newest evidence counts even when it is lower: competency is what was last observed.
    assert rows["M.02"].current.source == Source.POST_TEST
    assert rows["M.02"].current_level == 2 and rows["M.02"].gap == 2


def test_only_endorsed_needs_passed_post_tests_and_answered_follow_ups_count(
    owner, supervisor, competencies, provider_a
):
    from evaluation.models import BehaviourFollowUp, LearningNeed

    policy = competencies[0]
    need = endorsed_need(owner, policy, current=2, target=3, days_ago=3, by=supervisor)
    LearningNeed.objects.filter(pk=need.pk).update(
        status=LearningNeed.Status.SUBMITTED, endorsed_at=None
    )
    completion(owner, course_developing(provider_a, (policy, 3)), days_ago=2, final_score=None)
    followup = supervisor_rating(
        owner, course_developing(provider_a, (policy, 3)), {policy: 4}, days_ago=1
    )
    BehaviourFollowUp.objects.filter(pk=followup.pk).update(answered_at=None, average_rating=None)
    assert _rows(competency_profile(owner))["T.01"].current is None


def test_a_rating_is_rounded_half_up_and_a_tie_goes_to_the_supervisor(
    owner, competencies, provider_a
):
    from evaluation.models import BehaviourFollowUp

    policy = competencies[0]
    followup = supervisor_rating(
        owner, course_developing(provider_a, (policy, 2)), {policy: 2}, days_ago=5
    )
    BehaviourFollowUp.objects.filter(pk=followup.pk).update(ratings={str(policy.pk): 2.5})
    row = _rows(competency_profile(owner))["T.01"]
    assert row.current.level == 3 and row.gap == 0

    enrollment = completion(owner, course_developing(provider_a, (policy, 1)), days_ago=1)
    enrollment.completed_at = BehaviourFollowUp.objects.get(pk=followup.pk).answered_at
    enrollment.save(update_fields=["completed_at"])
    assert _rows(competency_profile(owner))["T.01"].current.source == Source.SUPERVISOR


def test_competencies_with_evidence_the_position_does_not_require_are_listed_apart(
    owner, supervisor, provider_a
):
    extra = CompetencyFactory(code="S.01", name="Perekat Bangsa")
    endorsed_need(owner, extra, current=2, target=3, days_ago=3, by=supervisor)
    profile = competency_profile(owner)
    [other] = profile.other
    assert other.competency == extra and other.required is None and other.current_level == 2
    assert extra.code not in _rows(profile)


def test_a_person_without_a_position_has_evidence_but_no_standard(supervisor, competencies):
    person = UserFactory(email="tanpa.jabatan@ku.go.id")
    endorsed_need(person, competencies[0], current=1, target=2, days_ago=1, by=supervisor)
    profile = competency_profile(person)
    assert profile.required == [] and profile.position_name == ""
    assert [row.competency.code for row in profile.other] == ["T.01"]


def test_courses_developing_a_gap_to_the_required_level_are_recommended(
    owner, competencies, provider_a
):
    policy = competencies[0]  # required 3
    low = course_developing(provider_a, (policy, 2), title="Kebijakan Dasar")
    good = course_developing(provider_a, (policy, 3), title="Kebijakan Madya")
    done = course_developing(provider_a, (policy, 4), title="Kebijakan Utama")
    completion(owner, done, days_ago=400, final_score=None)
    draft = course_developing(provider_a, (policy, 5), title="Kebijakan Draf")
    draft.unpublish()
    row = _rows(competency_profile(owner))["T.01"]
    assert [r.course.pk for r in row.recommendations] == [good.pk]
    assert low.pk not in [r.course.pk for r in row.recommendations]


def test_three_courses_per_gap_are_chosen_in_the_database(owner, competencies, provider_a):
    """Lowest sufficient level first, then title: hundreds of courses may develop a common
    competency (size L), and only the three shown are read."""
    policy = competencies[0]  # required 3
    courses = [
        course_developing(provider_a, (policy, level), title=title)
        for level, title in [(5, "A Lanjut"), (3, "D Madya"), (4, "B Utama"), (3, "C Madya")]
        + [(4, f"E Tambahan {n}") for n in range(6)]
    ]
    with CaptureQueriesContext(connection) as queries:
        row = _rows(competency_profile(owner))["T.01"]
    assert [r.course.title for r in row.recommendations] == ["C Madya", "D Madya", "B Utama"]
    assert len(courses) == 10
    read = [q["sql"] for q in queries if "ROW_NUMBER" in q["sql"].upper()]
    assert len(read) == 1  # one windowed query, three rows per competency


def test_learning_paths_toward_the_position_or_a_gap_are_recommended(
    owner, competencies, provider_a
):
    from courses.factories import provider_page_of
    from paths.factories import course_step, learning_path

    course = course_developing(provider_a, (competencies[0], 3))
    toward = learning_path(
        provider_page=provider_page_of(provider_a),
        steps=[course_step(course)],
        title="Menuju Analis Kebijakan Ahli Muda",
        target_position=owner.position,
    )
    gap = learning_path(
        provider_page=provider_page_of(provider_a),
        steps=[course_step(course)],
        title="Analisis Kebijakan Madya",
        target_competency=competencies[0],
        target_level=3,
    )
    learning_path(
        provider_page=provider_page_of(provider_a),
        steps=[course_step(course)],
        title="Jalur Lain",
        target_competency=CompetencyFactory(code="Z.01"),
        target_level=3,
    )
    assert [p.pk for p in competency_profile(owner).paths] == [toward.pk, gap.pk]


def _build(owner, supervisor, provider, size: int):
    """`size` more required competencies, each with evidence of every source, and `size`
    competencies with evidence the position does not require."""
    from learners.factories import PositionCompetencyFactory

    for number in range(size):
        required = CompetencyFactory(code=f"R.{size}.{number}")
        PositionCompetencyFactory(position=owner.position, competency=required, target_level=4)
        extra = CompetencyFactory(code=f"X.{size}.{number}")
        endorsed_need(owner, required, current=1, target=4, days_ago=30 + number, by=supervisor)
        endorsed_need(owner, extra, current=1, target=2, days_ago=30 + number, by=supervisor)
        course = course_developing(provider, (required, 2), (extra, 2))
        completion(owner, course, days_ago=20 + number)
        supervisor_rating(owner, course, {required: 3, extra: 2}, days_ago=10 + number)
        course_developing(provider, (required, 4))  # a recommendation


@pytest.mark.parametrize("size", [1, 6])
def test_the_profile_reads_in_a_fixed_number_of_queries(
    owner, supervisor, provider_a, size, django_assert_num_queries
):
    _build(owner, supervisor, provider_a, size)
    # Position standard, needs, follow-ups, post-tests, other competencies, courses, paths.
    with django_assert_num_queries(7):
        profile = competency_profile(owner)
        assert len(profile.required) == 3 + size and len(profile.other) == size
        assert all(row.recommendations for row in profile.required if row.competency.code[0] == "R")


def test_the_profile_page_reads_in_a_fixed_number_of_queries(
    owner, supervisor, provider_a, client_for
):
    client = client_for(owner)
    counts = []
    for size in (1, 6):
        _build(owner, supervisor, provider_a, size)
        # Wagtail caches the site's root paths (for course links) from the first request.
        client.get("/saya/kompetensi/")
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/saya/kompetensi/")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
