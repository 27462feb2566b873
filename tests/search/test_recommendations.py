"""Recommendations ("Disarankan untuk Anda"): endorsed needs first, then the position's
competency standard, then the organization's favourites; never a course the learner takes or
took, never an unpublished or private one; one reason each; a fixed number of queries."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from wagtail.models import PageViewRestriction

from content.factories import CompetencyFactory
from courses.factories import CourseCompetencyFactory, CoursePageFactory, provider_page_of
from evaluation import services as evaluation_services
from learners.factories import (
    EnrollmentFactory,
    PositionCompetencyFactory,
    PositionFactory,
    UserFactory,
)
from learners.models import Enrollment, User
from search.recommendations import recommendations_for

pytestmark = pytest.mark.django_db

#: Supervisor links here are confirmed (an unconfirmed one grants nothing: learners.supervisors).
CONFIRMED = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def english():
    """The reasons are read in their English source text (translations are added later)."""
    with translation.override("en"):
        yield


@pytest.fixture
def people(provider_a, provider_b):
    """A learner of LPA with a supervisor, a position and a colleague; someone from KB."""
    supervisor = UserFactory(email="atasan@lpa.go.id", organization=provider_a)
    position = PositionFactory(organization=provider_a, name="Analis Kebijakan Ahli Muda")
    learner = UserFactory(
        email="dewi@lpa.go.id",
        full_name="Dewi Lestari",
        organization=provider_a,
        supervisor=supervisor,
        supervisor_confirmed_at=CONFIRMED,
        position=position,
    )
    return SimpleNamespace(
        supervisor=supervisor,
        position=position,
        learner=learner,
        colleague=UserFactory(email="rekan@lpa.go.id", organization=provider_a),
        colleague_2=UserFactory(email="rekan2@lpa.go.id", organization=provider_a),
        outsider=UserFactory(email="staf@kb.go.id", organization=provider_b),
    )


@pytest.fixture
def competencies(db):
    return SimpleNamespace(
        communication=CompetencyFactory(code="M.03", name="Komunikasi", kind="manajerial"),
        ethics=CompetencyFactory(code="M.01", name="Integritas", kind="manajerial"),
        analysis=CompetencyFactory(code="T.01", name="Analisis Kebijakan"),
        data=CompetencyFactory(code="T.03", name="Literasi Data"),
    )


@pytest.fixture
def section(provider_b):
    return provider_page_of(provider_b)


def course(section, title: str, *competencies):
    """A published course developing each (competency, level) given."""
    page = CoursePageFactory(parent=section, title=title)
    for competency, level in competencies:
        CourseCompetencyFactory(page=page, competency=competency, target_level=level)
    return page


def need(user, competency, target: int, *, decided_by=None, endorse=True, priority="medium"):
    """A submitted need, decided by `decided_by` when given."""
    recorded = evaluation_services.learning_need_create(
        user=user,
        competency=competency,
        current_level=target - 1,
        target_level=target,
        priority=priority,
        reason="Dibutuhkan untuk tugas di unit kerja.",
        submit=True,
    )
    if decided_by is None:
        return recorded
    return evaluation_services.learning_need_decide(
        need=recorded, decided_by=decided_by, endorse=endorse, note="" if endorse else "Belum."
    )


def position_needs(position, competency, level: int) -> None:
    PositionCompetencyFactory(position=position, competency=competency, target_level=level)


def enroll(user, course, status="active", *, days_ago: int = 0) -> Enrollment:
    enrollment = EnrollmentFactory(user=user, course=course, status=status)
    if days_ago:
        Enrollment.objects.filter(pk=enrollment.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )
    return enrollment


def titles(user, **options) -> list[tuple[str, str]]:
    return [(item.course.title, item.kind) for item in recommendations_for(user, **options)]


def test_endorsed_needs_come_first_then_the_position_then_the_organization(
    people, competencies, section
):
    c = competencies
    course(section, "Komunikasi Publik", (c.communication, 3))
    course(section, "Analisis Kebijakan", (c.analysis, 3))
    course(section, "Literasi Data", (c.data, 3))
    course(section, "Etika Jabatan", (c.ethics, 2))
    office_favourite = course(section, "Favorit Kantor")
    elsewhere_favourite = course(section, "Favorit Instansi Lain")
    need(people.learner, c.communication, 3, decided_by=people.supervisor)
    need(people.learner, c.analysis, 3)  # awaiting endorsement
    need(people.learner, c.data, 3, decided_by=people.supervisor, endorse=False)
    position_needs(people.position, c.ethics, 2)
    enroll(people.colleague, office_favourite)
    enroll(people.outsider, elsewhere_favourite)
    enroll(people.outsider, course(section, "Favorit Lain Lagi"))

    assert titles(people.learner) == [
        ("Komunikasi Publik", "need"),
        ("Etika Jabatan", "position"),
        ("Favorit Kantor", "popular"),
    ]


def test_each_recommendation_says_why_in_the_learners_terms(people, competencies, section):
    c = competencies
    course(section, "Komunikasi Publik", (c.communication, 3))
    course(section, "Etika Jabatan", (c.ethics, 2))
    enroll(people.colleague, course(section, "Favorit Kantor"))
    need(people.learner, c.communication, 3, decided_by=people.supervisor)
    position_needs(people.position, c.ethics, 2)

    assert [item.reason for item in recommendations_for(people.learner)] == [
        "because you need Komunikasi level 3",
        "for your position: Integritas level 2",
        "popular in LPA",
    ]


def test_a_course_meets_a_need_at_its_level_or_above_closest_first(people, competencies, section):
    c = competencies
    course(section, "Komunikasi Dasar", (c.communication, 2))
    course(section, "Komunikasi Strategis", (c.communication, 5))
    course(section, "Komunikasi Publik", (c.communication, 3))
    course(section, "Integritas Menengah", (c.ethics, 3))
    need(people.learner, c.communication, 3, decided_by=people.supervisor)
    position_needs(people.position, c.ethics, 4)

    assert titles(people.learner) == [
        ("Komunikasi Publik", "need"),
        ("Komunikasi Strategis", "need"),
    ]


def test_courses_taken_awaited_or_completed_are_left_out_but_refused_or_left_are_not(
    people, competencies, section
):
    c = competencies
    by_status = {
        status: course(section, f"Komunikasi {status}", (c.communication, 3))
        for status in ("pending", "active", "completed", "expired", "rejected", "withdrawn")
    }
    for status, page in by_status.items():
        enroll(people.learner, page, status)
        enroll(people.colleague, page)  # popular in the office too
    need(people.learner, c.communication, 3, decided_by=people.supervisor)

    assert titles(people.learner) == [
        ("Komunikasi rejected", "need"),
        ("Komunikasi withdrawn", "need"),
    ]


def test_unpublished_and_private_courses_never_appear(
    people, competencies, section, provider_a, provider_b
):
    c = competencies
    public = course(section, "Komunikasi Terbuka", (c.communication, 3))
    unpublished = course(section, "Komunikasi Draf", (c.communication, 3))
    unpublished.unpublish()
    private = course(section, "Komunikasi Internal", (c.communication, 3))
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    closed_section = provider_page_of(provider_a)
    PageViewRestriction.objects.create(
        page=closed_section, restriction_type=PageViewRestriction.LOGIN
    )
    in_closed_section = course(closed_section, "Komunikasi Bagian Tertutup", (c.communication, 4))
    for page in (public, unpublished, private, in_closed_section):
        enroll(people.colleague, page)
    need(people.learner, c.communication, 3, decided_by=people.supervisor)
    position_needs(people.position, c.communication, 2)

    assert titles(people.learner) == [("Komunikasi Terbuka", "need")]
    assert titles(people.colleague_2) == [("Komunikasi Terbuka", "popular")]


def test_a_course_comes_once_with_its_strongest_reason(people, competencies, section):
    c = competencies
    both = course(section, "Komunikasi Beretika", (c.communication, 3), (c.ethics, 3))
    enroll(people.colleague, both)
    need(people.learner, c.communication, 3, decided_by=people.supervisor)
    need(people.learner, c.ethics, 2, decided_by=people.supervisor)
    position_needs(people.position, c.ethics, 3)

    [recommendation] = recommendations_for(people.learner)
    assert (recommendation.course, recommendation.kind) == (both, "need")


def test_needs_take_turns_by_priority_up_to_the_limit(people, competencies, section):
    c = competencies
    for n in (1, 2, 3):
        course(section, f"Data {n}", (c.data, 2 + n))
        course(section, f"Komunikasi {n}", (c.communication, 2 + n))
    need(people.learner, c.communication, 3, decided_by=people.supervisor)
    need(people.learner, c.data, 3, decided_by=people.supervisor, priority="high")

    assert [title for title, _ in titles(people.learner, limit=3)] == [
        "Data 1",
        "Komunikasi 1",
        "Data 2",
    ]
    assert len(recommendations_for(people.learner)) == 6


def test_the_organizations_favourites_are_what_its_people_took_this_year(people, section):
    newcomer = UserFactory(email="baru@lpa.go.id", organization=people.learner.organization)
    most, some, last_year, refused = (
        course(section, title) for title in ("Favorit", "Cukup Diminati", "Tahun Lalu", "Ditolak")
    )
    enroll(people.colleague, most)
    enroll(people.colleague_2, most, "completed")
    enroll(people.colleague, some, "withdrawn")
    enroll(people.colleague, last_year, days_ago=400)
    enroll(people.colleague, refused, "rejected")
    for page in (some, last_year):
        enroll(people.outsider, page)
        enroll(people.outsider, page, "completed")

    assert titles(newcomer) == [("Favorit", "popular"), ("Cukup Diminati", "popular")]


def test_with_nothing_to_go_on_the_platforms_favourites_are_shown(people, section):
    loner = UserFactory(email="mandiri@gmail.com")
    most, some, own = (course(section, title) for title in ("Favorit", "Diminati", "Sudah Diikuti"))
    for person in (people.colleague, people.outsider):
        enroll(person, most)
    enroll(people.outsider, some)
    enroll(people.outsider, own)
    enroll(loner, own)

    recommendations = recommendations_for(loner)
    assert [(item.course, item.reason) for item in recommendations] == [
        (most, "popular on Lentera"),
        (some, "popular on Lentera"),
    ]


def test_visitors_get_nothing_without_a_query(people, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert recommendations_for(AnonymousUser()) == []


def test_my_learning_shows_the_recommendations(people, competencies, section, client_for):
    course(section, "Komunikasi Publik", (competencies.communication, 3))
    need(people.learner, competencies.communication, 3, decided_by=people.supervisor)

    page = client_for(people.learner).get("/en/saya/").content.decode()
    assert 'aria-labelledby="recommendations-title"' in page
    assert "Recommended for you" in page
    assert "Komunikasi Publik" in page
    assert "Because you need Komunikasi level 3" in page

    nothing = client_for(UserFactory(email="kosong@gmail.com")).get("/en/saya/").content.decode()
    assert "Recommended for you" not in nothing


def _learner_with(people, competencies, section, *, needs: int, courses: int) -> User:
    """A learner of LPA with `needs` endorsed needs, as many position competencies, and
    `courses` courses meeting them (plus one the office likes)."""
    suffix = f"{needs}-{courses}"
    position = PositionFactory(organization=people.learner.organization)
    learner = UserFactory(
        email=f"ukur.{suffix}@lpa.go.id",
        organization=people.learner.organization,
        supervisor=people.supervisor,
        supervisor_confirmed_at=CONFIRMED,
        position=position,
    )
    wanted = [CompetencyFactory(code=f"Q.{suffix}.{n}") for n in range(needs)]
    for competency in wanted:
        need(learner, competency, 2, decided_by=people.supervisor)
        position_needs(position, competency, 2)
    for n in range(courses):
        course(section, f"Kursus {suffix} {n}", (wanted[n % needs], 3))
    enroll(people.colleague, course(section, f"Favorit {suffix}"))
    return learner


def _queries(user: User) -> list[str]:
    """Queries to recommend and render the cards for a request by `user`, after a first
    request has warmed what a live site keeps warm (site root paths)."""

    def render() -> str:
        request = RequestFactory().get("/saya/")
        request.user = User.objects.get(pk=user.pk)  # as loaded afresh for each request
        with CaptureQueriesContext(connection) as queries:
            html = render_to_string("search/recommendations.html", {"request": request}, request)
        assert "Recommended for you" in html
        return [query["sql"] for query in queries.captured_queries]

    render()
    return render()


def test_the_query_count_does_not_grow_with_needs_or_courses(people, competencies, section):
    few = _learner_with(people, competencies, section, needs=1, courses=2)
    many = _learner_with(people, competencies, section, needs=10, courses=20)

    assert len(recommendations_for(few)) == 4  # two for the need, the office's two favourites
    assert len(recommendations_for(many)) == 6
    # Private sections, needs, position, matching courses, organization, popularity; the
    # cards' courses and competencies (no cover images here), their English titles (this test's
    # interface is English; none in Indonesian), and the site for their links (once per request).
    few_queries, many_queries = _queries(few), _queries(many)
    assert len(few_queries) == len(many_queries) == 10, "\n".join(many_queries)


def test_the_organizations_ranking_is_reused_for_an_hour_then_counted_again(
    people, section, monkeypatch
):
    """The ranking is cached per organization (`POPULAR_CACHE_SECONDS`): a colleague's new
    enrollment shows once the hour is over, not on the next request."""
    from search import recommendations

    first, second = course(section, "Pertama"), course(section, "Kedua")
    enroll(people.colleague, first)
    assert titles(people.learner) == [("Pertama", "popular")]

    enroll(people.colleague, second)
    enroll(people.colleague_2, second)
    assert titles(people.learner) == [("Pertama", "popular")]

    later = timezone.now() + timedelta(seconds=recommendations.POPULAR_CACHE_SECONDS + 1)
    monkeypatch.setattr("django.core.cache.backends.locmem.time.time", later.timestamp)
    assert titles(people.learner) == [("Kedua", "popular"), ("Pertama", "popular")]


def test_the_cached_ranking_never_counts_the_learner_nor_offers_what_they_took(people, section):
    """What the learner did themself is read live: a course they enrolled in since the ranking
    was counted is left out at once, and their own earlier withdrawal is no vote for a course."""
    taken, left, other = (course(section, title) for title in ("Diambil", "Ditinggal", "Lain"))
    enroll(people.colleague, taken)
    enroll(people.colleague, left)
    enroll(people.learner, left, "withdrawn")
    enroll(people.colleague, other)
    enroll(people.colleague_2, other)
    # Ditinggal counts two people, the learner one of them: one, as for the others.
    assert titles(people.learner) == [
        ("Lain", "popular"),
        ("Diambil", "popular"),
        ("Ditinggal", "popular"),
    ]

    enroll(people.learner, taken)
    assert titles(people.learner) == [("Lain", "popular"), ("Ditinggal", "popular")]


def test_organizations_do_not_share_a_ranking(people, section):
    theirs = course(section, "Milik KB")
    enroll(people.outsider, theirs)
    enroll(UserFactory(organization=people.outsider.organization), theirs)
    assert titles(people.learner) == []
    assert titles(UserFactory(organization=people.outsider.organization)) == [
        ("Milik KB", "popular")
    ]
