"""Quiz questions as StreamField blocks: single choice, multiple choice, true/false, short answer.

Each block knows how to show itself to a learner *without* its answers (`public`), how to mark
an answer (`is_correct`) and what the correct answer is (`correct_answer`, shown only after
submission and as the quiz's feedback policy allows). Questions and options are identified by
their StreamField / ListBlock ids, which Wagtail keeps stable across edits, so a stored answer
still points at the same question after an editor fixes a typo.

The blocks render (in the admin's block previews only) as question text and option texts: never
`is_correct`, explanations or accepted answers, so a stray `{% include_block %}` cannot leak them.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

PREVIEW_TEMPLATE = "quizzes/quiz_question_preview.html"


def normalize_answer(text: str) -> str:
    """Short answers match after folding case, trimming, collapsing spaces and dropping
    punctuation at the ends ("  Pancasila. " == "pancasila")."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    text = re.sub(r"\s+", " ", text).strip()
    start, end = 0, len(text)
    while start < end and _is_edge_noise(text[start]):
        start += 1
    while end > start and _is_edge_noise(text[end - 1]):
        end -= 1
    return text[start:end]


def _is_edge_noise(char: str) -> bool:
    return char.isspace() or unicodedata.category(char).startswith("P")


class OptionBlock(blocks.StructBlock):
    """One answer option of a choice question; `is_correct` never leaves the server early."""

    text = blocks.CharBlock(label=_("Option"), max_length=500)
    is_correct = blocks.BooleanBlock(label=_("Correct"), required=False)

    class Meta:
        icon = "list-ul"
        label = _("Option")
        form_classname = "quiz-option"


class QuestionBlock(blocks.StructBlock):
    """What every question has: its text, an explanation shown after submission, its points."""

    kind = ""

    text = blocks.TextBlock(label=_("Question"), max_length=2000, rows=2)
    explanation = blocks.TextBlock(
        label=_("Explanation"),
        required=False,
        max_length=2000,
        rows=2,
        help_text=_(
            "Shown to the learner with the correct answer, when the quiz's feedback policy "
            "allows it."
        ),
    )
    points = blocks.IntegerBlock(label=_("Points"), default=1, min_value=1, max_value=100)

    def public(self, value, *, option_order: list[str] | None = None) -> dict:
        """The question as a learner sees it before submitting: no answers, no explanation."""
        return {"kind": self.kind, "text": value["text"], "options": [], "points": value["points"]}

    def option_items(self, value) -> list[tuple[str, dict]]:
        """(option id, option) pairs; none for questions without options."""
        return []

    def answer_cleaned(self, value, answer) -> list[str] | str:
        """A submitted answer reduced to what this question accepts (unknown options dropped)."""
        raise NotImplementedError

    def is_correct(self, value, answer) -> bool:
        raise NotImplementedError

    def correct_answer(self, value) -> list[str]:
        """Option ids (choice kinds) or accepted answers (short answer)."""
        raise NotImplementedError

    class Meta:
        template = PREVIEW_TEMPLATE


class ChoiceQuestionBlock(QuestionBlock):
    """A question answered by choosing among options; the correct set must match exactly."""

    options = blocks.ListBlock(OptionBlock(), label=_("Options"), min_num=2, max_num=10)

    def option_items(self, value) -> list[tuple[str, dict]]:
        # Wagtail stores an id with every list item it saves. Items written without one (raw
        # data from code) get a random id on every load, so they are numbered by position.
        return [
            (item.original_id or f"option-{index}", item.value)
            for index, item in enumerate(value["options"].bound_blocks)
        ]

    def public(self, value, *, option_order: list[str] | None = None) -> dict:
        options = dict(self.option_items(value))
        order = [option_id for option_id in (option_order or []) if option_id in options]
        order += [option_id for option_id in options if option_id not in order]
        return {
            **super().public(value),
            "options": [
                {"id": option_id, "text": options[option_id]["text"]} for option_id in order
            ],
        }

    def answer_cleaned(self, value, answer) -> list[str]:
        chosen = [answer] if isinstance(answer, str) else list(answer or [])
        known = {option_id for option_id, _option in self.option_items(value)}
        return sorted({option_id for option_id in chosen if option_id in known})

    def correct_answer(self, value) -> list[str]:
        return sorted(
            option_id for option_id, option in self.option_items(value) if option["is_correct"]
        )

    def is_correct(self, value, answer) -> bool:
        # Multiple choice: a partly right selection is wrong, so guessing everything never pays.
        return self.answer_cleaned(value, answer) == self.correct_answer(value)

    def _correct_count_error(self, value) -> str | None:
        raise NotImplementedError

    def clean(self, value):
        value = super().clean(value)
        message = self._correct_count_error(value)
        if message:
            raise blocks.StructBlockValidationError(
                block_errors={
                    "options": blocks.ListBlockValidationError(
                        non_block_errors=[ValidationError(message)]
                    )
                }
            )
        return value


class SingleChoiceQuestionBlock(ChoiceQuestionBlock):
    """Several options, exactly one correct."""

    kind = "single_choice"

    def _correct_count_error(self, value) -> str | None:
        if sum(1 for option in value["options"] if option["is_correct"]) != 1:
            return _("Mark exactly one option as correct.")
        return None

    class Meta:
        icon = "radio-full"
        label = _("Single choice")
        description = _("Learners choose one option; exactly one is correct.")
        preview_value = {
            "text": "Asas pelayanan publik yang menjamin setiap warga dilayani sama adalah…",
            "options": [
                {"text": "Kesamaan hak", "is_correct": True},
                {"text": "Keprofesionalan", "is_correct": False},
                {"text": "Ketepatan waktu", "is_correct": False},
            ],
            "points": 1,
        }


class MultipleChoiceQuestionBlock(ChoiceQuestionBlock):
    """Several options, one or more correct; only the exact set of correct options scores."""

    kind = "multiple_choice"

    def _correct_count_error(self, value) -> str | None:
        if not any(option["is_correct"] for option in value["options"]):
            return _("Mark at least one option as correct.")
        return None

    class Meta:
        icon = "tasks"
        label = _("Multiple choice")
        description = _("Learners tick every correct option; a partly right answer scores nothing.")
        preview_value = {
            "text": "Manakah yang termasuk nilai dasar BerAKHLAK?",
            "options": [
                {"text": "Berorientasi pelayanan", "is_correct": True},
                {"text": "Akuntabel", "is_correct": True},
                {"text": "Birokratis", "is_correct": False},
            ],
            "points": 1,
        }


def _true_false_default() -> list[dict]:
    return [{"text": "Benar", "is_correct": False}, {"text": "Salah", "is_correct": False}]


class TrueFalseQuestionBlock(ChoiceQuestionBlock):
    """A statement that is true or false: two options, exactly one correct."""

    kind = "true_false"

    options = blocks.ListBlock(
        OptionBlock(),
        label=_("Options"),
        min_num=2,
        max_num=2,
        default=_true_false_default(),
        help_text=_("Tick the option that is correct."),
    )

    def _correct_count_error(self, value) -> str | None:
        if sum(1 for option in value["options"] if option["is_correct"]) != 1:
            return _("Mark exactly one of the two options as correct.")
        return None

    class Meta:
        icon = "tick-inverse"
        label = _("True or false")
        description = _("A statement learners judge true or false.")
        preview_value = {
            "text": "Standar pelayanan wajib dipublikasikan kepada masyarakat.",
            "options": [
                {"text": "Benar", "is_correct": True},
                {"text": "Salah", "is_correct": False},
            ],
            "points": 1,
        }


class ShortAnswerQuestionBlock(QuestionBlock):
    """A question answered with a word or a short phrase, matched against accepted answers."""

    kind = "short_answer"

    accepted_answers = blocks.ListBlock(
        blocks.CharBlock(label=_("Accepted answer"), max_length=200),
        label=_("Accepted answers"),
        min_num=1,
        help_text=_(
            "Matched ignoring case, extra spaces and punctuation at the ends. Add spelling "
            "variants and abbreviations as separate answers."
        ),
    )

    def answer_cleaned(self, value, answer) -> str:
        if isinstance(answer, list):
            answer = answer[0] if answer else ""
        return str(answer or "")[:500]

    def correct_answer(self, value) -> list[str]:
        return list(value["accepted_answers"])

    def is_correct(self, value, answer) -> bool:
        given = normalize_answer(self.answer_cleaned(value, answer))
        return bool(given) and given in {
            normalize_answer(accepted) for accepted in value["accepted_answers"]
        }

    def clean(self, value):
        value = super().clean(value)
        if not any(normalize_answer(accepted) for accepted in value["accepted_answers"]):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "accepted_answers": blocks.ListBlockValidationError(
                        non_block_errors=[ValidationError(_("Add at least one accepted answer."))]
                    )
                }
            )
        return value

    class Meta:
        icon = "edit"
        label = _("Short answer")
        description = _("Learners type a word or phrase; several spellings may be accepted.")
        preview_value = {
            "text": "Singkatan dari Aparatur Sipil Negara adalah…",
            "accepted_answers": ["ASN"],
            "points": 1,
        }


class QuestionStreamBlock(blocks.StreamBlock):
    """The questions of a quiz, in the order editors arrange them (unless shuffled)."""

    single_choice = SingleChoiceQuestionBlock()
    multiple_choice = MultipleChoiceQuestionBlock()
    true_false = TrueFalseQuestionBlock()
    short_answer = ShortAnswerQuestionBlock()

    class Meta:
        min_num = 1


class PassBandBlock(blocks.StructBlock):
    """A named score band (predikat) printed on the certificate, e.g. "Sangat Baik" from 90."""

    label = blocks.CharBlock(label=_("Label"), max_length=60)
    min_score = blocks.DecimalBlock(
        label=_("Minimum score (%)"), min_value=0, max_value=100, decimal_places=2
    )

    class Meta:
        icon = "pick"
        label = _("Pass band")
        description = _("A label given to learners who pass with at least this score.")
        preview_value = {"label": "Sangat Baik", "min_score": "90"}
