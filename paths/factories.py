"""Learning paths for the tests and the demo: `learning_path` publishes one in a provider's
catalog section, its steps given as courses and (form, minimum JP) pairs."""

from decimal import Decimal

from django.utils.text import slugify

from courses.models import CoursePage, ProviderPage
from development.models import DevelopmentForm
from paths.models import LearningPathPage, LearningPathStep


def course_step(course: CoursePage, *, required: bool = True) -> LearningPathStep:
    return LearningPathStep(course=course, required=required)


def activity_step(
    form: DevelopmentForm,
    *,
    min_jp: Decimal | int | str = 2,
    description: str = "Kegiatan pengembangan di luar pelatihan, diverifikasi atasan.",
    required: bool = True,
) -> LearningPathStep:
    return LearningPathStep(
        development_form=form, min_jp=Decimal(min_jp), description=description, required=required
    )


def learning_path(
    *,
    provider_page: ProviderPage,
    steps: list[LearningPathStep],
    title: str = "Jalur Belajar Analis Kebijakan",
    publish: bool = True,
    **fields,
) -> LearningPathPage:
    """A learning path under `provider_page`, published unless `publish=False`."""
    fields.setdefault("intro", "<p>Rangkaian pelatihan dan kegiatan menuju jabatan.</p>")
    fields.setdefault("slug", slugify(title))
    for number, step in enumerate(steps):
        step.sort_order = number
    path = provider_page.add_child(
        instance=LearningPathPage(title=title, steps=steps, live=publish, **fields)
    )
    if publish:
        path.save_revision().publish()
    return path
