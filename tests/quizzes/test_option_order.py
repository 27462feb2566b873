"""The order of a quiz's options never gives the answer away: with shuffling on, where the
correct option(s) stand varies from attempt to attempt in what learners are actually shown (the
API and the attempt page, not only the draw), and an attempt keeps its own order when it is
opened again. A bug that puts the correct option(s) first, wherever it happens between the draw
and the page, fails here."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from courses.factories import provider_page_of
from learners import services
from learners.factories import UserFactory
from quizzes.factories import multiple_choice, single_choice
from tests.quizzes.quiz_helpers import course_with_quiz

pytestmark = pytest.mark.django_db

#: Attempts drawn per test. With four options, the single correct one lands in fewer than three
#: places over 24 fair draws with a probability of about 4e-7; the two correct options of the
#: multiple-choice question stay on the same two places or at the top with about 1e-11.
ATTEMPTS = 24

SINGLE = [("Keliru pertama", False), ("Keliru kedua", False), ("Keliru ketiga", False)]
SINGLE_CORRECT = "Jawaban tunggal benar"
MULTIPLE = [("Pengecoh satu", False), ("Pengecoh dua", False)]
MULTIPLE_CORRECT = ["Pilihan benar A", "Pilihan benar B"]


@pytest.fixture
def quiz_and_course(provider_a):
    """Correct options written last, as an editor might: only shuffling moves them."""
    course, _lesson, quiz = course_with_quiz(
        provider_page_of(provider_a),
        title="Urutan Opsi",
        questions=[
            single_choice("Pilih satu yang benar", [*SINGLE, (SINGLE_CORRECT, True)]),
            multiple_choice(
                "Pilih semua yang benar",
                [*MULTIPLE, *((text, True) for text in MULTIPLE_CORRECT)],
            ),
        ],
        shuffle_options=True,
        max_attempts=None,
    )
    return quiz, course


def _learner(course, n: int) -> Client:
    user = UserFactory(email=f"urutan.opsi{n}@instansi.go.id")
    services.enrollment_create(user=user, course=course)
    client = Client()
    client.force_login(user)
    return client


def _shown(questions: list[dict]) -> dict[str, list[str]]:
    """Option texts per question text, in the order shown."""
    return {
        question["text"]: [option["text"] for option in question["options"]]
        for question in questions
    }


def _started(client: Client, quiz) -> dict:
    response = client.post(f"/api/v1/quizzes/{quiz.pk}/attempts")
    assert response.status_code in (200, 201), response.content
    return response.json()


def test_where_the_correct_options_stand_varies_between_attempts(quiz_and_course):
    quiz, course = quiz_and_course
    single_positions, multiple_positions = [], []
    for n in range(ATTEMPTS):
        shown = _shown(_started(_learner(course, n), quiz)["questions"])
        single = shown["Pilih satu yang benar"]
        multiple = shown["Pilih semua yang benar"]
        assert sorted(single) == sorted([text for text, _ in SINGLE] + [SINGLE_CORRECT])
        single_positions.append(single.index(SINGLE_CORRECT))
        multiple_positions.append(frozenset(multiple.index(text) for text in MULTIPLE_CORRECT))

    assert set(single_positions) != {0}, "the correct option is always listed first"
    assert len(set(single_positions)) >= 3, single_positions
    assert set(multiple_positions) != {frozenset({0, 1})}, "correct options always listed first"
    assert len(set(multiple_positions)) >= 3, multiple_positions


def test_an_attempt_keeps_its_order_when_opened_again(quiz_and_course):
    quiz, course = quiz_and_course
    client = _learner(course, 0)
    first = _started(client, quiz)
    again = _started(client, quiz)
    assert again["id"] == first["id"]
    assert _shown(again["questions"]) == _shown(first["questions"])

    html = client.get(reverse("quizzes:attempt", args=[first["id"]])).content.decode()
    for texts in _shown(first["questions"]).values():
        at = [m.start() for text in texts for m in [re.search(re.escape(text), html)] if m]
        assert len(at) == len(texts), texts
        assert at == sorted(at), f"the page lists {texts} in another order than the attempt"
