"""The rubric of an assignment: criteria, each with levels worth some points."""

from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError


class RubricLevelBlock(blocks.StructBlock):
    """One level of a criterion ("Complete and well argued", 4 points)."""

    label = blocks.CharBlock(label=_("Level"), max_length=120)
    points = blocks.IntegerBlock(label=_("Points"), min_value=0, max_value=100)
    description = blocks.TextBlock(label=_("Description"), required=False, max_length=1000, rows=2)

    class Meta:
        icon = "order"
        label = _("Level")


class RubricCriterionBlock(blocks.StructBlock):
    """A criterion the trainer scores from 0 to its highest level's points."""

    name = blocks.CharBlock(label=_("Criterion"), max_length=200)
    description = blocks.TextBlock(label=_("Description"), required=False, max_length=1000, rows=2)
    levels = blocks.ListBlock(RubricLevelBlock(), label=_("Levels"), min_num=1)

    class Meta:
        icon = "tasks"
        label = _("Criterion")
        template = "assignments/rubric_criterion.html"
        description = _("A criterion of the rubric with its levels and their points.")
        preview_value = {
            "name": "Analisis masalah",
            "description": "Ketepatan identifikasi akar masalah di unit kerja.",
            "levels": [
                {"label": "Lengkap", "points": 4, "description": ""},
                {"label": "Sebagian", "points": 2, "description": ""},
                {"label": "Belum ada", "points": 0, "description": ""},
            ],
        }

    def clean(self, value):
        value = super().clean(value)
        if max((level["points"] for level in value["levels"]), default=0) <= 0:
            raise StructBlockValidationError(
                non_block_errors=ErrorList(
                    [_("At least one level of a criterion must be worth points.")]
                )
            )
        return value


def criterion_max_points(value) -> int:
    """The most a criterion can score: its highest level's points."""
    return max((level["points"] for level in value["levels"]), default=0)
