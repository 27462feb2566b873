"""Factories for assignment lessons and their rubrics; used by tests and the demo data."""

import factory
import wagtail_factories
from django.utils.text import slugify

from assignments.models import AssignmentPage
from content.factories import paragraph


def criterion(name: str, levels: list[tuple[str, int]], description: str = "") -> dict:
    """A raw rubric criterion block: `levels` are (label, points) pairs."""
    return {
        "type": "criterion",
        "value": {
            "name": name,
            "description": description,
            "levels": [
                {"label": label, "points": points, "description": ""} for label, points in levels
            ],
        },
    }


def default_rubric() -> list[dict]:
    """Two criteria of 5 points each (10 in all)."""
    levels = [("Sangat baik", 5), ("Cukup", 3), ("Kurang", 1)]
    return [
        criterion("Analisis masalah", levels, "Akar masalah di unit kerja dikenali dengan tepat."),
        criterion("Rencana aksi", levels, "Langkah, waktu dan penanggung jawab jelas."),
    ]


class AssignmentPageFactory(wagtail_factories.PageFactory):
    """An assignment; give it a `ModulePage` as parent."""

    title = factory.Sequence(lambda n: f"Tugas {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    estimated_minutes = 60
    required_for_completion = True
    body = factory.LazyFunction(
        lambda: [
            paragraph(
                "Susun rencana aksi untuk satu masalah pelayanan di unit kerja Anda, lalu "
                "unggah dalam bentuk PDF."
            )
        ]
    )
    due_days = 14
    allow_text = True
    allowed_file_types = factory.LazyFunction(lambda: ["pdf", "png"])
    max_file_mb = 1
    pass_mark = 60
    rubric = factory.LazyFunction(default_rubric)

    class Meta:
        model = AssignmentPage
