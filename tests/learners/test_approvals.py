"""Approval-required courses: trainers and the learner's organization admins decide."""

import pytest

from learners import services
from learners.factories import UserFactory
from learners.models import Enrollment

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_to_join(course_a, provider_b):
    course_a.enrollment_policy = "approval"
    course_a.save_revision().publish()
    learner = UserFactory(email="pemohon@instansi.go.id", organization=provider_b)
    enrollment, _ = services.enrollment_create(user=learner, course=course_a)
    return enrollment


def test_the_course_trainer_approves_and_the_learner_can_start(
    request_to_join, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    trainer = UserFactory(email="pelatih@lan.go.id", trainer_of=request_to_join.course)
    client = client_for(trainer)
    assert request_to_join.user.full_name in client.get("/saya/persetujuan/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/saya/persetujuan/",
            {"enrollment": request_to_join.pk, "decision": "approve", "note": "Selamat belajar"},
        )
    assert response.status_code == 302
    request_to_join.refresh_from_db()
    assert request_to_join.status == Enrollment.Status.ACTIVE
    assert request_to_join.decided_by == trainer
    [message] = mailoutbox
    assert message.to == [request_to_join.user.email]
    assert "Selamat belajar" in message.body


def test_the_learners_organization_admin_may_reject(request_to_join, client_for, provider_b):
    hr = UserFactory(email="sdm@kb.go.id", admin_of=provider_b)
    client_for(hr).post(
        "/saya/persetujuan/", {"enrollment": request_to_join.pk, "decision": "reject"}
    )
    request_to_join.refresh_from_db()
    assert request_to_join.status == Enrollment.Status.REJECTED


def test_others_cannot_decide(request_to_join, client_for, provider_a):
    other_admin = UserFactory(email="sdm@lpa.go.id", admin_of=provider_a)
    learner = UserFactory(email="peserta.lain@instansi.go.id")
    for user in (other_admin, learner):
        client = client_for(user)
        assert "pemohon@instansi.go.id" not in client.get("/saya/persetujuan/").content.decode()
        response = client.post(
            "/saya/persetujuan/", {"enrollment": request_to_join.pk, "decision": "approve"}
        )
        assert response.status_code == 404
    request_to_join.refresh_from_db()
    assert request_to_join.status == Enrollment.Status.PENDING
