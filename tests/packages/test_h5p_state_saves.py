"""H5P state saves: the player forwards the content's interacted and progressed statements so a
learner who leaves a quiz half-answered finds their answers again. The server stores their state
and never completes (or uncompletes, or rescores) the lesson on them."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from courses.factories import provider_page_of
from learners.models import LessonCompletion
from packages import samples
from packages.models import ScoState
from tests.packages.runtime_helpers import course_with_package, enrolled, event, statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def h5p_lesson(provider_a):
    course, _lesson, package_lesson = course_with_package(
        provider_page_of(provider_a), archive=samples.h5p_quiz(), lesson_first=False, pass_mark=70
    )
    client = Client()
    client.force_login(enrolled(course))
    return client, package_lesson


def send(client, lesson, body, state, *, at=None, queued=False):
    data = {
        "event_id": str(event()),
        "committed_at": (at or timezone.now()).isoformat(),
        "statement": body,
        "state": state,
        "queued": queued,
    }
    return client.post(
        f"/api/v1/package-lessons/{lesson.pk}/xapi",
        json.dumps(data),
        content_type="application/json",
    )


def runtime(client, lesson):
    return client.get(f"/api/v1/package-lessons/{lesson.pk}/runtime").json()


@pytest.mark.parametrize("verb", ["interacted", "progressed"])
def test_a_half_answered_quiz_is_saved_and_handed_back_without_completing(h5p_lesson, verb):
    client, lesson = h5p_lesson
    half = '{"answers":{"q0":"1"},"checked":false}'

    answer = send(client, lesson, statement(verb), half)

    assert answer.status_code == 200
    body = answer.json()
    assert body["completion_status"] == "incomplete" and not body["lesson_completed"]
    assert body["score"] is None
    assert runtime(client, lesson)["h5p"]["state"] == half
    assert not LessonCompletion.objects.exists()


def test_a_state_save_with_a_score_never_completes(h5p_lesson):
    """Only finishing verbs count: a state save carrying a result (some content types attach
    one) is stored as state, its score ignored."""
    client, lesson = h5p_lesson
    body = statement("interacted", raw=4, max_=4)

    answer = send(client, lesson, body, '{"answers":{"q0":"1","q1":"0"}}').json()

    assert answer["completion_status"] == "incomplete" and answer["score"] is None
    assert not answer["lesson_completed"]


def test_a_state_save_after_completion_keeps_the_completion_and_the_score(h5p_lesson):
    client, lesson = h5p_lesson
    now = timezone.now()
    send(client, lesson, statement("completed", raw=4, max_=4), '{"checked":true}', at=now)

    answer = send(
        client, lesson, statement("interacted"), '{"answers":{}}', at=now + timedelta(seconds=5)
    ).json()

    assert answer["completion_status"] == "completed" and answer["success_status"] == "passed"
    assert answer["score"]["raw"] == 4.0
    assert LessonCompletion.objects.filter(lesson=lesson).count() == 1
    assert ScoState.objects.get().cmi == {"state": '{"answers":{}}'}


def test_a_late_state_save_does_not_replace_newer_answers(h5p_lesson):
    """The player may send state saves from an outbox after coming back online."""
    client, lesson = h5p_lesson
    now = timezone.now()
    send(client, lesson, statement("interacted"), '{"answers":{"q0":"1","q1":"2"}}', at=now)
    send(
        client,
        lesson,
        statement("progressed"),
        '{"answers":{"q0":"1"}}',
        at=now - timedelta(1),
        queued=True,
    )

    assert runtime(client, lesson)["h5p"]["state"] == '{"answers":{"q0":"1","q1":"2"}}'
