"""The right to erasure: personal data gone, learning kept anonymised for statistics,
certificates still verifiable with a notice instead of the name, no way back in, all or nothing.
"""

import dataclasses
import os

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import privacy.erasure
from audit.models import AuditEvent
from courses.models import CoursePage
from evaluation.models import BehaviourFollowUp, CourseEvaluation, LearningNeed
from evaluation.selectors import programme_evaluation
from learners.factories import OrganizationRoleFactory
from learners.models import (
    Certificate,
    Enrollment,
    LessonCompletion,
    OrganizationRole,
    User,
)
from privacy.erasure import ErasureRefused, account_erase
from privacy.models import AccountErasure
from quizzes.models import QuizAttempt
from tests.privacy.conftest import PASSWORD, SHORT_ANSWER

pytestmark = pytest.mark.django_db


def _statistics() -> dict:
    year = timezone.localdate().year
    return {
        "enrollments": Enrollment.objects.count(),
        "completions": LessonCompletion.objects.count(),
        "certificates": Certificate.objects.count(),
        "quiz_attempts": QuizAttempt.objects.count(),
        "programme": [
            dataclasses.asdict(row)
            for row in programme_evaluation(courses=CoursePage.objects.all(), year=year)
        ],
    }


def _delete(client, password=PASSWORD, confirm=True):
    data = {"password": password}
    if confirm:
        data["confirm"] = "on"
    return client.post(reverse("privacy:account_delete"), data)


def test_deleting_erases_the_person_and_keeps_anonymous_statistics(
    history, learner, client_for, django_capture_on_commit_callbacks
):
    EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
    Authenticator.objects.create(user=learner, type=Authenticator.Type.TOTP, data={"secret": "x"})
    before = _statistics()
    certificate = history["certificate"]
    pdf_path = certificate.pdf.path

    with django_capture_on_commit_callbacks(execute=True):
        response = _delete(client_for(learner))

    assert response.status_code == 302
    user = User.objects.get(pk=learner.pk)
    assert user.full_name == f"Pengguna terhapus #{learner.pk}"
    assert user.email.endswith(".invalid") and "siti" not in user.email
    assert user.nip is None and user.rank_grade == "" and user.supervisor_email == ""
    assert not user.is_active and not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Authenticator.objects.filter(user=user).exists()
    assert AccountErasure.objects.filter(user=user).exists()
    # Free text the person wrote, or that was written about them.
    attempt = QuizAttempt.objects.get(user=user)
    assert SHORT_ANSWER not in attempt.answers.values() and attempt.score is not None
    assert CourseEvaluation.objects.get(enrollment=certificate.enrollment).comment == ""
    assert BehaviourFollowUp.objects.get(enrollment=certificate.enrollment).comment == ""
    assert LearningNeed.objects.get(pk=history["need"].pk).reason == ""
    # The certificate record stays, without the name, the NIP or the PDF.
    certificate.refresh_from_db()
    assert certificate.serial and "Siti" not in certificate.holder_name
    assert certificate.holder_nip == "" and not certificate.pdf
    assert not os.path.exists(pdf_path)
    # Statistics do not change.
    assert _statistics() == before
    event = AuditEvent.objects.get(action=AuditEvent.Action.ACCOUNT_DELETED)
    assert event.subject_user_id == learner.pk and event.organization_id == learner.organization_id


def test_the_deleted_person_cannot_sign_in_again(history, learner, client_for):
    client = client_for(learner)
    _delete(client)

    assert client.get(reverse("learners:my_learning")).status_code == 302  # signed out
    fresh = Client()
    assert not fresh.login(email="siti@dinkes.go.id", password=PASSWORD)
    response = fresh.post(
        reverse("account_login"), {"login": "siti@dinkes.go.id", "password": PASSWORD}
    )
    assert response.status_code == 200  # the form again, with an error


def test_other_sessions_of_the_person_end_too(history, learner, client_for):
    elsewhere = client_for(learner)
    assert elsewhere.get(reverse("learners:my_learning")).status_code == 200

    _delete(client_for(learner))

    response = elsewhere.get(reverse("learners:my_learning"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_certificate_stays_verifiable_with_a_notice_instead_of_the_name(
    history, learner, client_for, client
):
    certificate = history["certificate"]
    _delete(client_for(learner))

    page = client.get(reverse("learners:certificate_verify", args=[certificate.code]))
    html = page.content.decode()

    assert page.status_code == 200
    assert "Valid certificate" in html
    assert certificate.serial in html
    assert "Siti" not in html and "Pengguna terhapus" not in html
    assert "personal data was deleted at their request." in html
    # Someone else's certificate still shows its holder.
    other = client.get(
        reverse("learners:certificate_verify", args=[history["other_certificate"].code])
    )
    assert "Joko Widodo Susanto" in other.content.decode()
    # The public API says the same.
    api = client.get(f"/api/v1/certificates/{certificate.code}").json()
    assert (api["status"], api["holder_name"], api["holder_erased"]) == ("valid", "", True)


def test_a_wrong_password_or_missing_confirmation_deletes_nothing(history, learner, client_for):
    client = client_for(learner)

    wrong = _delete(client, password="bukan-sandi-saya")
    unconfirmed = _delete(client, confirm=False)

    assert wrong.status_code == 200 and "The password is not correct." in wrong.content.decode()
    assert unconfirmed.status_code == 200
    assert User.objects.get(pk=learner.pk).full_name == "Siti Nurhaliza"
    assert not AccountErasure.objects.exists()


def test_deletion_is_all_or_nothing(history, learner, monkeypatch):
    certificate = history["certificate"]
    OrganizationRoleFactory(user=learner, organization=learner.organization)

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    # The last step fails, after every other change was made.
    monkeypatch.setattr(privacy.erasure, "audit_record", fail)
    with pytest.raises(RuntimeError):
        account_erase(user=learner)

    user = User.objects.get(pk=learner.pk)
    assert (user.full_name, user.email, user.nip) == (
        "Siti Nurhaliza",
        "siti@dinkes.go.id",
        "198609262015052001",
    )
    assert user.is_active and user.check_password(PASSWORD)
    certificate.refresh_from_db()
    assert certificate.holder_name == "Siti Nurhaliza" and certificate.pdf
    assert certificate.pdf.storage.exists(certificate.pdf.name)
    assert QuizAttempt.objects.get(user=learner).answers != {}
    assert SHORT_ANSWER in QuizAttempt.objects.get(user=learner).answers.values()
    assert OrganizationRole.objects.filter(user=learner).exists()
    assert not AccountErasure.objects.exists()


def test_a_platform_administrator_cannot_delete_their_own_account(learner, client_for):
    learner.is_superuser = True
    learner.save()

    with pytest.raises(ErasureRefused):
        account_erase(user=learner)
    response = _delete(client_for(learner))

    assert response.status_code == 302
    assert User.objects.get(pk=learner.pk).is_active


def test_deletion_page_asks_for_the_password(learner, client_for):
    page = client_for(learner).get(reverse("privacy:account_delete")).content.decode()

    assert 'type="password"' in page
    assert 'name="confirm"' in page
