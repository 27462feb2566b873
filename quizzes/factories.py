"""Factories for quizzes, with helpers for raw question blocks; used by tests and the demo."""

import uuid

import factory
import wagtail_factories
from django.utils.text import slugify

from content.factories import paragraph
from quizzes.models import QuizPage


def single_choice(
    text: str, options: list[tuple[str, bool]], *, explanation: str = "", points: int = 1
) -> dict:
    """A raw single-choice question block: `options` are (text, is_correct) pairs."""
    return _choice("single_choice", text, options, explanation, points)


def multiple_choice(
    text: str, options: list[tuple[str, bool]], *, explanation: str = "", points: int = 1
) -> dict:
    return _choice("multiple_choice", text, options, explanation, points)


def true_false(text: str, *, true: bool, explanation: str = "", points: int = 1) -> dict:
    """A raw true/false question block with the options "Benar" and "Salah"."""
    return _choice("true_false", text, [("Benar", true), ("Salah", not true)], explanation, points)


def short_answer(text: str, accepted: list[str], *, explanation: str = "", points: int = 1) -> dict:
    return {
        "type": "short_answer",
        "value": {
            "text": text,
            "accepted_answers": list(accepted),
            "explanation": explanation,
            "points": points,
        },
    }


def _choice(kind: str, text: str, options, explanation: str, points: int) -> dict:
    return {
        "type": kind,
        "value": {
            "text": text,
            # In Wagtail's list format, with ids, as the admin saves them: option ids stay put.
            "options": [
                {
                    "type": "item",
                    "value": {"text": option, "is_correct": correct},
                    "id": str(uuid.uuid4()),
                }
                for option, correct in options
            ],
            "explanation": explanation,
            "points": points,
        },
    }


def pass_band(label: str, min_score: int | str) -> dict:
    return {"type": "band", "value": {"label": label, "min_score": str(min_score)}}


class QuizPageFactory(wagtail_factories.PageFactory):
    """A quiz; give it a `ModulePage` as parent and `questions` built with the helpers above."""

    title = factory.Sequence(lambda n: f"Kuis {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    estimated_minutes = 15
    required_for_completion = True
    body = factory.LazyFunction(
        lambda: [paragraph("Jawablah semua pertanyaan. Skor dihitung setelah Anda mengirim.")]
    )
    role = QuizPage.Role.PRACTICE
    pass_mark = 70
    questions = factory.LazyFunction(
        lambda: [
            single_choice(
                "Siapa yang menetapkan standar pelayanan?",
                [("Penyelenggara layanan", True), ("Masyarakat umum", False)],
            )
        ]
    )
    pass_bands = factory.LazyFunction(list)

    class Meta:
        model = QuizPage
