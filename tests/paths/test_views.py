"""The pages: the path page with the follower's progress, following and leaving (POST with
CSRF), the list, my learning's block, the certificate's PDF (its holder only) and its public
verification page."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from development import services as development_services
from development.factories import DevelopmentRecordFactory, form_of
from learners.factories import UserFactory, completed_enrollment
from paths.models import LearningPathStep, PathEnrollment
from paths.services import path_follow

pytestmark = pytest.mark.django_db


def _complete(path, learner, supervisor, course):
    completed_enrollment(user=learner, course=course)
    record = DevelopmentRecordFactory(owner=learner, form=form_of("mentoring"), jp=Decimal(5))
    development_services.record_verify(record=record, verifier=supervisor)
    return path_follow(user=learner, path=path).certificate


def test_anyone_reads_the_path_page_and_the_list(path, course_a):
    response = Client().get(path.url)
    assert response.status_code == 200
    content = response.content.decode()
    assert course_a.title in content
    assert "Mentoring" in content
    response = Client().get(reverse("paths:path_list"))
    assert path.title in response.content.decode()


def test_following_needs_a_post_with_csrf(path, learner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert client.get(reverse("paths:follow", args=[path.pk])).status_code == 405
    assert client.post(reverse("paths:follow", args=[path.pk])).status_code == 403
    assert not PathEnrollment.objects.exists()


def test_follow_then_progress_on_the_page_and_my_learning(path, learner, course_a, client_for):
    client = client_for(learner)
    response = client.post(reverse("paths:follow", args=[path.pk]))
    assert response.status_code == 302
    assert PathEnrollment.objects.filter(user=learner, path=path).exists()
    completed_enrollment(user=learner, course=course_a)
    page = client.get(path.url).content.decode()
    assert 'value="50"' in page
    assert reverse("paths:leave", args=[path.pk]) in page
    my_learning = client.get(reverse("learners:my_learning")).content.decode()
    assert path.title in my_learning
    assert 'value="50"' in my_learning


def test_leave_is_for_followers(path, learner, client_for):
    other = UserFactory()
    assert client_for(other).post(reverse("paths:leave", args=[path.pk])).status_code == 404
    path_follow(user=learner, path=path)
    assert client_for(learner).post(reverse("paths:leave", args=[path.pk])).status_code == 302
    assert not PathEnrollment.objects.exists()


def test_anonymous_is_sent_to_sign_in(path):
    response = Client().post(reverse("paths:follow", args=[path.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"] or "login" in response["Location"]


def test_an_unpublished_path_is_not_followed(path, learner, client_for):
    path.unpublish()
    assert client_for(learner).post(reverse("paths:follow", args=[path.pk])).status_code == 404


def test_the_certificate_pdf_is_for_its_holder_only(
    path, learner, supervisor, course_a, client_for
):
    certificate = _complete(path, learner, supervisor, course_a)
    url = reverse("paths:certificate_pdf", args=[certificate.code])
    response = client_for(learner).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]
    assert client_for(supervisor).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_verification_is_public_and_shows_no_nip(path, learner, supervisor, course_a):
    certificate = _complete(path, learner, supervisor, course_a)
    response = Client().get(reverse("paths:certificate_verify", args=[certificate.code]))
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    content = response.content.decode()
    assert certificate.serial in content
    assert "Dewi Lestari" in content
    assert path.title in content
    assert learner.nip not in content
    missing = Client().get(reverse("paths:certificate_verify", args=["tidak-ada"]))
    assert missing.status_code == 404


def test_a_preview_shows_the_steps_being_edited(provider_a, course_a, rf):
    """The admin's preview renders an unsaved page: its steps are in memory, not in the
    database, and nobody has done them."""
    from django.contrib.auth.models import AnonymousUser

    from paths.models import LearningPathPage
    from paths.templatetags.path_tags import path_progress_of

    page = LearningPathPage(
        title="Draf", intro="<p>x</p>", steps=[LearningPathStep(course=course_a)]
    )
    request = rf.get("/")
    request.user, request.is_preview = AnonymousUser(), True
    progress = path_progress_of({"request": request}, page)
    assert [state.step.course for state in progress.steps] == [course_a]
    assert not progress.following


def test_a_followed_path_cannot_be_deleted_only_unpublished(path, learner, client_for):
    from paths.models import LearningPathPage

    path_follow(user=learner, path=path)
    admin = UserFactory(is_superuser=True, is_staff=True)
    response = client_for(admin).post(f"/admin/pages/{path.pk}/delete/")
    assert response.status_code == 302
    assert LearningPathPage.objects.filter(pk=path.pk).exists()


def test_the_catalog_and_the_provider_section_lead_to_paths(path, site_tree, provider_a):
    from courses.factories import provider_page_of

    catalog = Client().get(site_tree["catalog"].url).content.decode()
    assert reverse("paths:path_list") in catalog
    section = Client().get(provider_page_of(provider_a).url).content.decode()
    assert path.title in section
