"""A direct supervisor named on a profile counts only once confirmed: by the supervisor, and by
HR where the organization asks for it. Until then the link grants nothing (no endorsement, no
follow-up e-mail) and reveals nothing (not even the account holder's name)."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from content.factories import CompetencyFactory
from evaluation import services as evaluation_services
from evaluation.models import LearningNeed
from evaluation.permissions import can_decide_learning_need
from learners import supervisors
from learners.errors import LearningError
from learners.factories import UserFactory, completed_enrollment
from learners.models import Enrollment, User

pytestmark = pytest.mark.django_db

PROFILE = {
    "full_name": "Siti Rahmawati",
    "account_kind": "non_asn",
    "nip": "",
    "rank_grade": "",
    "supervisor_name": "Atasan Saya",
}


@pytest.fixture(autouse=True)
def english(english_interface):
    yield


@pytest.fixture
def learner(provider_a):
    return UserFactory(email="siti@lpa.go.id", full_name="Siti Rahmawati", organization=provider_a)


@pytest.fixture
def second_account(db):
    """The learner's own second account, typed in as their supervisor."""
    return UserFactory(email="siti.lain@gmail.com", full_name="Nama Asli Pemilik Akun")


def _name(learner, supervisor, client_for) -> None:
    data = {**PROFILE, "organization": learner.organization_id or ""}
    response = client_for(learner).post(
        reverse("learners:profile"), {**data, "supervisor_email": supervisor.email}
    )
    assert response.status_code == 302, response.context["form"].errors
    learner.refresh_from_db()


def _need(learner) -> LearningNeed:
    return evaluation_services.learning_need_create(
        user=learner,
        competency=CompetencyFactory(),
        current_level=1,
        target_level=3,
        priority="high",
        reason="Untuk tugas analisis.",
        submit=True,
    )


def test_an_unconfirmed_supervisor_cannot_endorse_and_gets_no_follow_up(
    learner, second_account, course_a, client_for, django_capture_on_commit_callbacks
):
    _name(learner, second_account, client_for)
    assert learner.supervisor == second_account
    assert learner.supervisor_confirmed_at is None
    need = _need(learner)

    assert not can_decide_learning_need(second_account, need)
    with pytest.raises(evaluation_services.EvaluationRefused):
        evaluation_services.learning_need_decide(need=need, decided_by=second_account, endorse=True)
    response = client_for(second_account).post(
        reverse("evaluation:needs_endorsement"),
        {"need": need.pk, "decision": "endorse", "note": ""},
    )
    assert response.status_code == 404
    need.refresh_from_db()
    assert need.status == LearningNeed.Status.SUBMITTED

    enrollment = completed_enrollment(
        user=learner,
        course=course_a,
        started_at=timezone.now() - timedelta(days=100),
        completed_at=timezone.now() - timedelta(days=91),
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("lentera_daily", stdout=io.StringIO())
    assert mail.outbox == []
    assert not hasattr(Enrollment.objects.get(pk=enrollment.pk), "behaviour_followup")


def test_the_named_supervisor_confirms_then_may_endorse(learner, provider_a, client_for):
    supervisor = UserFactory(email="atasan@lpa.go.id", full_name="Pak Atasan")
    _name(learner, supervisor, client_for)
    need = _need(learner)
    client = client_for(supervisor)
    page = client.get(reverse("learners:supervisor_requests")).text
    assert "Siti Rahmawati" in page

    # Nobody else answers for the supervisor, and the learner cannot confirm their own link.
    for intruder in (learner, UserFactory(email="orang@lain.go.id")):
        client_for(intruder).post(
            reverse("learners:supervisor_requests"), {"learner": learner.pk, "decision": "accept"}
        )
        learner.refresh_from_db()
        assert learner.supervisor_confirmed_at is None

    response = client.post(
        reverse("learners:supervisor_requests"), {"learner": learner.pk, "decision": "accept"}
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.supervisor_accepted_at and learner.supervisor_confirmed_at
    assert can_decide_learning_need(supervisor, need)
    evaluation_services.learning_need_decide(need=need, decided_by=supervisor, endorse=True)


def test_a_declined_link_is_removed(learner, client_for):
    supervisor = UserFactory(email="bukan.atasan@lpa.go.id")
    _name(learner, supervisor, client_for)
    client_for(supervisor).post(
        reverse("learners:supervisor_requests"), {"learner": learner.pk, "decision": "decline"}
    )
    learner.refresh_from_db()
    assert learner.supervisor is None and learner.supervisor_confirmed_at is None


def test_hr_confirms_as_well_where_the_organization_asks(learner, provider_a, client_for):
    provider_a.supervisor_links_need_hr = True
    provider_a.save()
    supervisor = UserFactory(email="atasan@lpa.go.id", full_name="Pak Atasan")
    hr = UserFactory(email="sdm@lpa.go.id", organization=provider_a, admin_of=provider_a)
    _name(learner, supervisor, client_for)

    supervisors.supervisor_link_decide(learner=learner, decided_by=supervisor, accept=True)
    learner.refresh_from_db()
    assert learner.supervisor_accepted_at and learner.supervisor_confirmed_at is None
    assert not can_decide_learning_need(supervisor, _need(learner))

    assert "Siti Rahmawati" in client_for(hr).get(reverse("learners:supervisor_requests")).text
    client_for(hr).post(
        reverse("learners:supervisor_requests"), {"learner": learner.pk, "decision": "accept"}
    )
    learner.refresh_from_db()
    assert learner.supervisor_confirmed_at is not None
    event = AuditEvent.objects.get(action=AuditEvent.Action.SUPERVISOR_LINK_DECIDED)
    assert (event.actor, event.subject_user, event.organization) == (hr, learner, provider_a)


def test_an_hr_admin_does_not_confirm_a_link_to_themselves(learner, provider_a, client_for):
    provider_a.supervisor_links_need_hr = True
    provider_a.save()
    hr = UserFactory(email="sdm@lpa.go.id", organization=provider_a, admin_of=provider_a)
    _name(learner, hr, client_for)
    supervisors.supervisor_link_decide(learner=learner, decided_by=hr, accept=True)
    with pytest.raises(LearningError):
        supervisors.supervisor_link_decide(learner=learner, decided_by=hr, accept=True)
    learner.refresh_from_db()
    assert learner.supervisor_confirmed_at is None


def test_changing_the_supervisor_needs_a_new_confirmation(learner, client_for):
    first = UserFactory(email="atasan1@lpa.go.id")
    second = UserFactory(email="atasan2@lpa.go.id")
    _name(learner, first, client_for)
    supervisors.supervisor_link_decide(learner=learner, decided_by=first, accept=True)
    _name(learner, first, client_for)  # saving the profile unchanged keeps the confirmation
    assert learner.supervisor_confirmed_at is not None
    _name(learner, second, client_for)
    assert learner.supervisor == second
    assert learner.supervisor_accepted_at is None and learner.supervisor_confirmed_at is None


def test_typing_an_address_never_shows_its_owners_name(learner, second_account, client_for):
    _name(learner, second_account, client_for)
    client = client_for(learner)
    profile = client.get(reverse("learners:profile")).text
    assert "Nama Asli Pemilik Akun" not in profile
    assert "Atasan Saya" in profile  # what the learner typed
    archive = client.post(reverse("privacy:data_download"))
    content = b"".join(archive.streaming_content) if archive.streaming else archive.content
    import zipfile

    data = zipfile.ZipFile(io.BytesIO(content)).read("data.json").decode()
    assert "Nama Asli Pemilik Akun" not in data


def test_nobody_rates_their_own_facilitation(course_a, client_for):
    """A trainer who takes their own course does not rate its facilitation (L1)."""
    trainer = UserFactory(email="pelatih@lpa.go.id", trainer_of=course_a)
    enrollment = completed_enrollment(user=trainer, course=course_a)
    with pytest.raises(evaluation_services.EvaluationRefused) as refused:
        evaluation_services.course_evaluation_submit(
            enrollment=enrollment,
            user=trainer,
            relevance=5,
            material_quality=5,
            facilitation=5,
            platform=5,
            applicability=5,
        )
    assert refused.value.code == "own_course"
    assert (
        not User.objects.get(pk=trainer.pk)
        .enrollments.filter(evaluation_submitted_at__isnull=False)
        .exists()
    )


def test_a_trainer_taking_their_own_course_is_not_held_back_by_the_survey(course_a, client_for):
    """The required survey cannot be answered by the course's trainer, so it does not hold their
    certificate back."""
    from learners.models import Certificate, LessonCompletion
    from learners.progress import lesson_complete
    from learners.services import enrollment_create

    course_a.reaction_survey_required = True
    course_a.save_revision().publish()
    trainer = UserFactory(email="pelatih@lpa.go.id", trainer_of=course_a)
    enrollment_create(user=trainer, course=course_a)
    from courses.models import LessonPage

    for lesson in LessonPage.objects.live().descendant_of(course_a).order_by("path"):
        lesson_complete(user=trainer, lesson=lesson)
    assert LessonCompletion.objects.filter(enrollment__user=trainer).exists()
    certificate = Certificate.objects.get(enrollment__user=trainer)
    response = client_for(trainer).get(f"/sertifikat/{certificate.code}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_the_named_supervisor_is_asked_by_e_mail(
    learner, client_for, django_capture_on_commit_callbacks
):
    supervisor = UserFactory(email="atasan@lpa.go.id", full_name="Pak Atasan")
    with django_capture_on_commit_callbacks(execute=True):
        _name(learner, supervisor, client_for)
    [message] = mail.outbox
    assert message.to == ["atasan@lpa.go.id"]
    assert "Siti Rahmawati" in message.body
    assert reverse("learners:supervisor_requests") in message.body
    # Saving the profile again asks nobody again.
    with django_capture_on_commit_callbacks(execute=True):
        _name(learner, supervisor, client_for)
    assert len(mail.outbox) == 1
