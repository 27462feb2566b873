"""The learner API: session auth with CSRF, the same rules as the pages, localized errors."""

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from courses.models import LessonPage
from learners.factories import EnrollmentFactory, UserFactory
from learners.models import Enrollment

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner():
    return UserFactory(email="api@instansi.go.id", full_name="Rahmat Hidayat")


@pytest.fixture
def api(learner):
    client = Client()
    client.force_login(learner)
    return client


def lessons_of(course):
    return list(LessonPage.objects.live().descendant_of(course).order_by("path"))


def test_openapi_schema_describes_every_endpoint(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/courses/{course_id}/enrollment",
        "/api/v1/me/enrollments",
        "/api/v1/lessons/{lesson_id}/completion",
        "/api/v1/me/certificates",
        "/api/v1/certificates/{code}",
        "/api/v1/me/jp",
    } <= set(paths)


def test_anonymous_requests_are_refused(client, course_a):
    assert client.get("/api/v1/me/enrollments").status_code == 401
    assert client.post(f"/api/v1/courses/{course_a.pk}/enrollment").status_code == 401


def test_unsafe_requests_need_the_csrf_token(learner, course_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    response = client.post(f"/api/v1/courses/{course_a.pk}/enrollment")
    assert response.status_code == 403
    assert not Enrollment.objects.exists()


def test_enroll_201_then_200(api, course_a):
    first = api.post(f"/api/v1/courses/{course_a.pk}/enrollment")
    assert first.status_code == 201
    assert first.json()["status"] == "active"
    second = api.post(f"/api/v1/courses/{course_a.pk}/enrollment")
    assert second.status_code == 200
    assert second.json()["id"] == first.json()["id"]


def test_cohort_course_answers_403_with_a_reason(api, course_a):
    course_a.enrollment_policy = "cohort"
    course_a.save()
    response = api.post(f"/api/v1/courses/{course_a.pk}/enrollment")
    assert response.status_code == 403
    assert response.json()["code"] == "cohort_only"
    assert "angkatan" in response.json()["detail"]  # Indonesian by default


def test_full_journey_through_the_api(api, course_a, client):
    api.post(f"/api/v1/courses/{course_a.pk}/enrollment")
    [enrollment] = api.get("/api/v1/me/enrollments").json()
    assert enrollment["progress_percent"] == 0
    assert enrollment["next_lesson_url"]
    body = None
    for lesson in lessons_of(course_a):
        response = api.post(
            f"/api/v1/lessons/{lesson.pk}/completion",
            {"event_id": str(uuid.uuid4())},
            content_type="application/json",
        )
        assert response.status_code == 201
        body = response.json()
    assert body["course_completed"] and body["course_progress_percent"] == 100
    code = body["certificate_code"]
    [certificate] = api.get("/api/v1/me/certificates").json()
    assert certificate["code"] == code and certificate["serial"].startswith("LTR/")
    verification = client.get(f"/api/v1/certificates/{code}").json()
    assert verification["status"] == "valid"
    assert verification["holder_name"] == "Rahmat Hidayat"
    ledger = api.get("/api/v1/me/jp", {"year": timezone.localdate().year}).json()
    assert ledger["earned"] == "2.00" or float(ledger["earned"]) == 2.0
    assert ledger["entries"][0]["certificate_serial"] == certificate["serial"]


def test_completion_of_a_course_not_enrolled_is_refused(api, course_a):
    response = api.post(f"/api/v1/lessons/{lessons_of(course_a)[0].pk}/completion")
    assert response.status_code == 403
    assert response.json()["code"] == "not_enrolled"


def test_completion_in_the_future_is_refused_with_a_localized_message(api, course_a):
    api.post(f"/api/v1/courses/{course_a.pk}/enrollment")
    future = (timezone.now() + timedelta(days=2)).isoformat()
    response = api.post(
        f"/api/v1/lessons/{lessons_of(course_a)[0].pk}/completion",
        {"completed_at": future},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "completed_at_future"


def test_malformed_event_id_gets_a_field_error(api, course_a):
    api.post(f"/api/v1/courses/{course_a.pk}/enrollment")
    response = api.post(
        f"/api/v1/lessons/{lessons_of(course_a)[0].pk}/completion",
        {"event_id": "bukan-uuid"},
        content_type="application/json",
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"].endswith("event_id")
    assert error["code"] == "uuid_parsing"


def test_a_body_that_is_not_json_gets_a_400_in_the_learners_language(api, course_a):
    api.post(f"/api/v1/courses/{course_a.pk}/enrollment")
    response = api.post(
        f"/api/v1/lessons/{lessons_of(course_a)[0].pk}/completion",
        b"\x00",
        content_type="application/json",
        headers={"Accept-Language": "id"},
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "bad_request",
        "detail": "Isi permintaan bukan JSON yang valid.",
    }
    assert not Enrollment.objects.get(course=course_a).completions.exists()


def test_unknown_certificate_is_404(client):
    assert client.get("/api/v1/certificates/tidak-ada").status_code == 404


def test_a_learner_sees_only_their_own_enrollments(api, course_a):
    other = UserFactory(email="lain@instansi.go.id")
    EnrollmentFactory(user=other, course=course_a)
    assert api.get("/api/v1/me/enrollments").json() == []
    assert api.get("/api/v1/me/certificates").json() == []


def test_finished_enrollments_are_listed_from_their_stored_progress(
    api, learner, course_a, course_b, django_assert_max_num_queries
):
    """Only an open enrollment reads its course's lessons (to find the next one): a history of
    finished courses, however long, is listed from the enrollments themselves."""
    completed = EnrollmentFactory(user=learner, course=course_a, status=Enrollment.Status.COMPLETED)
    completed.completed_at = timezone.now()
    completed.save(update_fields=["completed_at"])
    EnrollmentFactory(user=learner, course=course_b)
    with django_assert_max_num_queries(10) as captured:
        rows = {row["course_id"]: row for row in api.get("/api/v1/me/enrollments").json()}
    lesson_table = LessonPage._meta.db_table
    lesson_reads = [q["sql"] for q in captured.captured_queries if lesson_table in q["sql"]]
    # One read of lessons, for the open enrollment's course only.
    assert len(lesson_reads) == 1
    assert course_b.path in lesson_reads[0] and course_a.path not in lesson_reads[0]
    assert rows[course_a.pk]["progress_percent"] == 100
    assert rows[course_a.pk]["next_lesson_url"] is None
    assert rows[course_b.pk]["progress_percent"] == 0
    assert rows[course_b.pk]["next_lesson_url"] == lessons_of(course_b)[0].url
