"""The package lesson endpoints of the learner API over HTTP: session and CSRF, the runtime
config, commits and statements, coded errors in the interface's language (Indonesian by
default), the rate limit, and the ordinary completion endpoints refusing a package lesson."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from courses.factories import provider_page_of
from learners.factories import UserFactory
from learners.models import LessonCompletion
from packages import samples
from packages.models import ScoState
from tests.packages.runtime_helpers import (
    cmi12,
    commit_body,
    course_with_package,
    enrolled,
    event,
    statement,
)

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def commits_url(package_lesson):
    return f"/api/v1/package-lessons/{package_lesson.pk}/commits"


def test_a_commit_is_stored_and_answered(api, package_lesson):
    response = post(
        api, commits_url(package_lesson), commit_body(package_lesson, cmi12(location="p2"))
    )

    assert response.status_code == 200
    answer = response.json()
    assert answer["completion_status"] == "incomplete"
    assert answer["lesson_completed"] is False and answer["replayed"] is False
    assert answer["certificate_url"] is None
    assert ScoState.objects.get().cmi["core"]["lesson_location"] == "p2"


def test_passing_answers_the_lesson_and_course_completed_with_the_certificate(
    provider_a,
):
    course, _lesson, package_lesson = course_with_package(
        provider_page_of(provider_a), lesson_first=False
    )
    client = Client()
    client.force_login(enrolled(course))

    answer = post(
        client, commits_url(package_lesson), commit_body(package_lesson, cmi12("passed", raw="100"))
    ).json()

    assert answer["lesson_completed"] and answer["course_completed"]
    assert answer["certificate_url"].startswith("/")


def test_the_same_commit_sent_twice_answers_replayed(api, package_lesson):
    data = commit_body(package_lesson, cmi12())
    post(api, commits_url(package_lesson), data)
    again = post(api, commits_url(package_lesson), data)
    assert again.status_code == 200 and again.json()["replayed"] is True


def test_an_invalid_element_is_a_400_naming_it_in_indonesian(api, package_lesson):
    response = post(
        api, commits_url(package_lesson), commit_body(package_lesson, cmi12(suspend="x" * 64001))
    )

    assert response.status_code == 400
    answer = response.json()
    assert answer["code"] == "invalid_cmi"
    assert "cmi.suspend_data" in answer["detail"]
    assert "terlalu panjang" in answer["detail"]
    assert not ScoState.objects.exists()


def test_suspend_data_beyond_the_1_2_spm_of_4096_is_stored(api, package_lesson):
    response = post(
        api, commits_url(package_lesson), commit_body(package_lesson, cmi12(suspend="x" * 4097))
    )
    assert response.status_code == 200
    assert ScoState.objects.get().cmi["suspend_data"] == "x" * 4097


def test_an_unknown_element_is_a_400(api, package_lesson):
    response = post(
        api,
        commits_url(package_lesson),
        commit_body(package_lesson, {"core": {"student_grade": "A"}}),
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cmi"
    assert "cmi.core.student_grade" in response.json()["detail"]


def test_a_malformed_body_is_a_422(api, package_lesson):
    data = commit_body(package_lesson, cmi12())
    data["event_id"] = "not-a-uuid"
    response = post(api, commits_url(package_lesson), data)
    assert response.status_code == 422 and response.json()["code"] == "invalid"


def test_signing_in_is_required(package_lesson):
    response = post(Client(), commits_url(package_lesson), commit_body(package_lesson, cmi12()))
    assert response.status_code == 401
    assert Client().get(f"/api/v1/package-lessons/{package_lesson.pk}/runtime").status_code == 401


def test_the_csrf_token_is_required(learner, package_lesson):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    response = post(client, commits_url(package_lesson), commit_body(package_lesson, cmi12()))
    assert response.status_code == 403 and response.json()["code"] == "csrf_failed"
    assert not ScoState.objects.exists()


def test_a_learner_not_enrolled_is_refused(package_lesson):
    client = Client()
    client.force_login(UserFactory())
    response = post(client, commits_url(package_lesson), commit_body(package_lesson, cmi12()))
    assert response.status_code == 403 and response.json()["code"] == "not_enrolled"


def test_an_unpublished_or_unknown_lesson_is_404(api, package_lesson, setup):
    lesson = setup[1]
    not_a_package = f"/api/v1/package-lessons/{lesson.pk}/commits"
    assert post(api, not_a_package, commit_body(package_lesson, cmi12())).status_code == 404
    package_lesson.unpublish()
    response = post(api, commits_url(package_lesson), commit_body(package_lesson, cmi12()))
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_too_many_commits_a_minute_are_refused_with_429(api, package_lesson, settings):
    settings.LENTERA_PACKAGE_COMMITS_PER_MINUTE = 3
    for _ in range(3):
        assert (
            post(api, commits_url(package_lesson), commit_body(package_lesson, cmi12())).status_code
            == 200
        )

    response = post(api, commits_url(package_lesson), commit_body(package_lesson, cmi12()))

    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert ScoState.objects.get().attempt.scos.count() == 1


def test_the_rate_limit_is_per_learner(api, course, package_lesson, settings):
    settings.LENTERA_PACKAGE_COMMITS_PER_MINUTE = 1
    post(api, commits_url(package_lesson), commit_body(package_lesson, cmi12()))
    other = Client()
    other.force_login(enrolled(course))
    assert (
        post(other, commits_url(package_lesson), commit_body(package_lesson, cmi12())).status_code
        == 200
    )


def test_the_runtime_config(api, learner, package_lesson):
    post(
        api,
        commits_url(package_lesson),
        commit_body(package_lesson, cmi12(location="p2", exit_="suspend")),
    )

    response = api.get(f"/api/v1/package-lessons/{package_lesson.pk}/runtime")

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    config = response.json()
    item = package_lesson.package.items[0]["identifier"]
    assert config["kind"] == "scorm12" and config["mode"] == "normal" and config["enrolled"]
    assert config["learner"] == {"id": f"u{learner.pk}", "name": "Lestari, Dewi"}
    assert config["commitUrl"] == commits_url(package_lesson)
    assert config["startItem"] == item
    core = config["cmi"][item]["core"]
    assert core["lesson_location"] == "p2" and core["entry"] == "resume"
    assert core["student_id"] == f"u{learner.pk}"
    assert "exit" not in core and "session_time" not in core
    assert config["cmi"][item]["student_data"]["mastery_score"] == "80"


def test_xapi_statements(provider_a):
    course, _lesson, package_lesson = course_with_package(
        provider_page_of(provider_a), archive=samples.h5p_quiz(), lesson_first=False
    )
    client = Client()
    client.force_login(enrolled(course))
    url = f"/api/v1/package-lessons/{package_lesson.pk}/xapi"
    data = {
        "event_id": str(event()),
        "committed_at": timezone.now().isoformat(),
        "statement": statement("completed", raw=3, max_=4),
        "state": '{"answers":[1]}',
    }

    answer = post(client, url, data).json()

    assert answer["item"] == "h5p" and answer["lesson_completed"]
    assert answer["score"] == {"raw": 3.0, "min": 0.0, "max": 4.0, "scaled": 0.75}
    config = client.get(f"/api/v1/package-lessons/{package_lesson.pk}/runtime").json()
    assert config["h5p"] == {"state": '{"answers":[1]}', "passMark": None}

    data["event_id"] = str(event())
    data["statement"] = {"verb": {"id": "x y"}}
    refused = post(client, url, data)
    assert refused.status_code == 400 and refused.json()["code"] == "invalid_statement"


class TestTheOrdinaryCompletionRefusesPackageLessons:
    def test_the_api(self, api, package_lesson):
        response = api.post(f"/api/v1/lessons/{package_lesson.pk}/completion")
        assert response.status_code == 400
        assert response.json()["code"] == "quiz_required"
        assert not LessonCompletion.objects.exists()

    def test_the_mark_as_done_form(self, api, package_lesson):
        api.post(f"/saya/pelajaran/{package_lesson.pk}/selesai/")
        assert not LessonCompletion.objects.exists()
