"""Competency names in the learner's language beyond the course pages: under /en/ the competency
profile, development plans, learning needs, learning paths, communities of practice and
development records show a competency's English translation's name where it has one (else its
Indonesian name), read in the queries that read the competencies: the same number of queries in
both languages, and the Indonesian pages unchanged."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from content.models import Competency
from courses.factories import provider_page_of
from development.factories import DevelopmentRecordFactory
from discussions.models import Community
from evaluation import services as evaluation_services
from paths.factories import course_step, learning_path
from planning.factories import DevelopmentPlanFactory, PlanItemFactory
from tests.planning.conftest import endorsed_need

pytestmark = pytest.mark.django_db

ENGLISH = {"T.01": "Policy analysis", "M.01": "Integrity"}


def _translate(competency: Competency, name: str) -> None:
    """The competency's English translation (what wagtail-localize's snippet editor makes)."""
    english = competency.copy_for_translation(Locale.objects.get(language_code="en"))
    english.name = name
    english.save()


@pytest.fixture
def translated(competencies):
    """Two of the three competencies translated; the third (M.02) is not."""
    for competency in competencies:
        if competency.code in ENGLISH:
            _translate(competency, ENGLISH[competency.code])
    return competencies


def _url(name: str, *args, language: str) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def _read(client, url: str) -> tuple[str, int]:
    """The page's HTML and its number of queries (a first request warms per-process caches)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), len(captured)


def _both(client, name: str, *args) -> tuple[str, str]:
    """The page in English and in Indonesian, read in the same number of queries."""
    english, english_queries = _read(client, _url(name, *args, language="en"))
    indonesian, indonesian_queries = _read(client, _url(name, *args, language="id-id"))
    assert english_queries == indonesian_queries, name
    return english, indonesian


def _assert_names(english: str, indonesian: str, *, translated_names=None) -> None:
    for name in translated_names or ENGLISH.values():
        assert name in english and name not in indonesian, name


@pytest.fixture
def gap_path(provider_a, translated, course_a):
    return learning_path(
        provider_page=provider_page_of(provider_a),
        steps=[course_step(course_a)],
        title="Analisis Kebijakan Madya",
        target_competency=translated[0],
        target_level=3,
    )


def test_the_profile_shows_english_names_under_en(
    owner, supervisor, translated, gap_path, client_for
):
    # Evidence of a competency the position does not require lists it under "other".
    extra = Competency.objects.create(code="X.01", name="Kepemimpinan")
    _translate(extra, "Leadership")
    endorsed_need(owner, extra, current=1, target=2, days_ago=3, by=supervisor)

    english, indonesian = _both(client_for(owner), "planning:my_profile")

    _assert_names(english, indonesian, translated_names=[*ENGLISH.values(), "Leadership"])
    assert "Analisis Kebijakan" not in english.replace("Analisis Kebijakan Madya", "")
    assert translated[2].name in english  # untranslated: its Indonesian name
    assert "Policy analysis, level 3" in english  # the learning path toward the gap


def test_a_plan_shows_its_activities_competencies_in_english(owner, translated, client_for):
    plan = DevelopmentPlanFactory(user=owner)
    for competency in translated:
        PlanItemFactory(plan=plan, competency=competency)

    english, indonesian = _both(client_for(owner), "planning:plan_detail", plan.pk)

    _assert_names(english, indonesian)
    assert translated[2].name in english and translated[2].name in indonesian


def test_learning_needs_show_english_names_to_the_learner_and_the_supervisor(
    owner, supervisor, translated, client_for
):
    for competency in translated:
        evaluation_services.learning_need_create(
            user=owner,
            competency=competency,
            current_level=1,
            target_level=3,
            priority="medium",
            reason="Dibutuhkan untuk tugas analisis di unit kerja.",
            submit=True,
        )

    _assert_names(*_both(client_for(owner), "evaluation:needs_list"))
    _assert_names(*_both(client_for(supervisor), "evaluation:needs_endorsement"))
    _assert_names(*_both(client_for(supervisor), "team:member_detail", owner.pk))


def test_a_learning_path_shows_its_target_competency_in_english(gap_path):
    client = Client()
    english, indonesian = _both(client, "paths:path_list")
    _assert_names(english, indonesian, translated_names=["Policy analysis"])

    with translation.override("en"):
        english_url = gap_path.url
    with translation.override("id-id"):
        indonesian_url = gap_path.url
    english, english_queries = _read(client, english_url)
    indonesian, indonesian_queries = _read(client, indonesian_url)
    assert "Policy analysis (T.01)" in english and "Analisis Kebijakan (T.01)" in indonesian
    # One query more in English: the page's own translation, looked up whether there is one.
    assert english_queries == indonesian_queries + 1


def test_communities_show_their_competency_in_english(provider_a, translated, owner, client_for):
    community = Community.objects.create(
        name="Komunitas Analis Kebijakan",
        slug="analis-kebijakan",
        competency=translated[0],
        occupational_group="Analis Kebijakan",
        organization=provider_a,
    )
    client = client_for(owner)

    for name, args in (
        ("discussions:communities", ()),
        ("discussions:community", (community.slug,)),
    ):
        english, indonesian = _both(client, name, *args)
        assert "Policy analysis" in english and "Policy analysis" not in indonesian, name


def test_a_development_record_shows_its_competencies_in_english(owner, translated, client_for):
    record = DevelopmentRecordFactory(owner=owner)
    record.competencies.set(translated)

    english, indonesian = _both(client_for(owner), "development:record_detail", record.pk)

    _assert_names(english, indonesian)
    assert translated[2].name in english
