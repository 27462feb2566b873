""" "My learning" greets a new account as new ("welcome", not "welcome back"), and a name that
ends with a period (an academic title such as "S.Sos.") ends the sentence once."""

import pytest
from django.test import Client

from courses.models import LessonPage
from learners import progress, services
from learners.factories import UserFactory
from learners.templatetags.learning_tags import before_full_stop

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(english_interface):
    yield


@pytest.fixture
def learner(db):
    return UserFactory(email="budi@instansi.go.id", full_name="Budi Santoso, S.Sos.")


@pytest.fixture
def client(learner):
    client = Client()
    client.force_login(learner)
    return client


def test_a_brand_new_account_is_welcomed_not_welcomed_back(client):
    page = client.get("/saya/").content.decode()
    assert "Welcome to Lentera, Budi Santoso, S.Sos.</p>" in page
    assert "Welcome back" not in page


def test_an_enrollment_not_yet_opened_is_not_a_return(client, learner, course_a):
    services.enrollment_create(user=learner, course=course_a)
    assert "Welcome back" not in client.get("/saya/").content.decode()


def test_someone_who_has_studied_here_is_welcomed_back(client, learner, course_a):
    services.enrollment_create(user=learner, course=course_a)
    first = LessonPage.objects.descendant_of(course_a).order_by("path").first()
    # Opening a lesson records nothing (a page view is a read); completing one does.
    client.get(first.url)
    assert "Welcome back" not in client.get("/saya/").content.decode()
    progress.lesson_complete(user=learner, lesson=first)

    page = client.get("/saya/").content.decode()
    assert "Welcome back, Budi Santoso, S.Sos.</p>" in page
    assert "S.Sos.." not in page


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Budi Santoso, S.Sos.", "Budi Santoso, S.Sos"),
        ("Dr. Ani Wijaya, M.Si.", "Dr. Ani Wijaya, M.Si"),
        ("Siti Rahmawati", "Siti Rahmawati"),
    ],
)
def test_a_name_loses_only_its_final_period_before_the_full_stop(name, expected):
    assert before_full_stop(name) == expected
