"""Factories for shared content; used by the tests and by `seed_demo` alike."""

import factory
import wagtail_factories
from django.utils.text import slugify

from content.models import Competency, CompetencyLevel, Organization, ResourcePage


class OrganizationFactory(factory.django.DjangoModelFactory):
    """An organization without its site sections (see `courses.factories.ProviderFactory`)."""

    name = factory.Sequence(lambda n: f"Instansi Pembina {n}")
    short_name = factory.Sequence(lambda n: f"IP{n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.short_name))
    kind = Organization.Kind.MINISTRY

    class Meta:
        model = Organization
        django_get_or_create = ["short_name"]


class CompetencyFactory(factory.django.DjangoModelFactory):
    # Not "T.<n>": tests pick such codes by hand, and get_or_create would hand them a generated one.
    code = factory.Sequence(lambda n: f"F.{n:03d}")
    name = factory.Sequence(lambda n: f"Kompetensi Teknis {n}")
    kind = Competency.Kind.TECHNICAL
    description = "Kemampuan teknis yang dibutuhkan dalam jabatan."

    class Meta:
        model = Competency
        django_get_or_create = ["code"]


class CompetencyLevelFactory(factory.django.DjangoModelFactory):
    competency = factory.SubFactory(CompetencyFactory)
    level = 1
    indicators = "Memahami konsep dasar dan menerapkannya dengan bimbingan."

    class Meta:
        model = CompetencyLevel


def paragraph(text: str) -> dict:
    """A raw StreamField paragraph block."""
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


def figure(image_id: int, alt_text: str, caption: str = "") -> dict:
    """A raw StreamField image block."""
    return {
        "type": "image",
        "value": {"image": image_id, "alt_text": alt_text, "caption": caption},
    }


class ResourcePageFactory(wagtail_factories.PageFactory):
    """A library resource; give it a `LibrarySectionPage` as parent."""

    title = factory.Sequence(lambda n: f"Panduan {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    summary = "Sumber belajar bersama antarinstansi."
    kind = ResourcePage.Kind.GUIDE
    body = factory.LazyFunction(lambda: [paragraph("Panduan singkat untuk praktik sehari-hari.")])

    class Meta:
        model = ResourcePage
