"""Helpers for the quiz tests: a course with a lesson and a quiz, and answer sheets."""

import re

from courses.factories import (
    CourseCompetencyFactory,
    CoursePageFactory,
    LessonPageFactory,
    ModulePageFactory,
)
from quizzes.factories import (
    QuizPageFactory,
    multiple_choice,
    pass_band,
    short_answer,
    single_choice,
    true_false,
)
from quizzes.models import QuizPage

# Strings only the server may know before a submission: explanations and accepted answers.
EXPLANATION_MARK = "PENJELASAN-RAHASIA"
ACCEPTED_ANSWERS = ["Zona Integritas", "ZI-WBK"]
SECRETS = [EXPLANATION_MARK, *ACCEPTED_ANSWERS, "is_correct", "accepted_answers", "explanation"]


def four_questions() -> list[dict]:
    """One question of each kind; the multiple-choice one is worth 2 points (5 in all)."""
    return [
        single_choice(
            "Asas pelayanan publik yang menjamin setiap warga dilayani sama adalah…",
            [("Kesamaan hak", True), ("Keprofesionalan", False), ("Ketepatan waktu", False)],
            explanation=f"{EXPLANATION_MARK} 1: UU 25/2009 pasal 4.",
        ),
        multiple_choice(
            "Manakah yang termasuk nilai dasar BerAKHLAK?",
            [("Berorientasi pelayanan", True), ("Akuntabel", True), ("Birokratis", False)],
            explanation=f"{EXPLANATION_MARK} 2: SE MenPANRB 20/2021.",
            points=2,
        ),
        true_false(
            "Standar pelayanan wajib dipublikasikan kepada masyarakat.",
            true=True,
            explanation=f"{EXPLANATION_MARK} 3.",
        ),
        short_answer(
            "Predikat unit kerja yang bebas korupsi disebut Wilayah Bebas Korupsi dalam program…",
            ACCEPTED_ANSWERS,
            explanation=f"{EXPLANATION_MARK} 4.",
        ),
    ]


BANDS = [pass_band("Sangat Baik", 90), pass_band("Baik", 75), pass_band("Cukup", 60)]


def course_with_quiz(provider_page, *, title: str = "Budaya Anti Korupsi", **quiz_fields):
    """A published course: one module with a lesson, then a quiz (last in the outline)."""
    course = CoursePageFactory(parent=provider_page, title=title)
    CourseCompetencyFactory(page=course)
    module = ModulePageFactory(parent=course, title=f"Modul 1: {title}")
    lesson = LessonPageFactory(parent=module, title=f"Pengantar {title}")
    fields = {
        "title": f"Ujian Akhir {title}",
        "role": QuizPage.Role.POST_TEST,
        "pass_mark": 70,
        "questions": four_questions(),
        "pass_bands": BANDS,
        # These tests start the post-test at once; the gate that keeps it closed until the
        # lessons are done (the default) has its own tests in test_post_test_gate.py.
        "requires_lessons_completed": False,
        **quiz_fields,
    }
    quiz = QuizPageFactory(parent=module, **fields)
    return course, lesson, QuizPage.objects.get(pk=quiz.pk)


def questions_of(quiz: QuizPage) -> list:
    """The quiz's question blocks, as stored, in editor order."""
    return list(QuizPage.objects.get(pk=quiz.pk).questions)


def correct_answers(quiz: QuizPage) -> dict:
    """An answer sheet with every answer right."""
    sheet = {}
    for child in questions_of(quiz):
        right = child.block.correct_answer(child.value)
        sheet[child.id] = right[0] if child.block_type == "short_answer" else right
    return sheet


def option_ids(child, *texts: str) -> list[str]:
    """Ids of a question's options, all of them or those with the given texts."""
    return [
        option_id
        for option_id, option in child.block.option_items(child.value)
        if not texts or option["text"] in texts
    ]


# The page script's words (`offline_strings`, a JSON data block on every page for signed-in
# users, issue 17) hold every label the script may show, "Not passed." among them.
JSON_DATA_SCRIPT = re.compile(r"<script[^>]*type=\"application/json\"[^>]*>.*?</script>", re.S)


def without_script_data(html: str) -> str:
    """The page without its JSON data blocks: what the page itself says."""
    return JSON_DATA_SCRIPT.sub("", html)


def inline_scripts(html: str) -> list[str]:
    """Script elements that run code written in the page (the CSP allows none): neither a
    file (`src`) nor JSON data."""
    return [
        tag
        for tag in re.findall(r"<script\b[^>]*>", html)
        if "src=" not in tag and 'type="application/json"' not in tag
    ]
