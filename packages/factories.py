"""Factories for packages and package lessons; used by the tests and the demo.

`PackageFactory` imports a real package through `packages.imports.package_import` (checked,
parsed and extracted to storage like an editor's upload), built by `packages.samples`:
a SCORM 1.2 single-SCO course unless `archive` (the bytes of a zip or .h5p) is given.
"""

import factory
import wagtail_factories
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.text import slugify

from content.factories import OrganizationFactory, paragraph
from packages import samples
from packages.imports import package_import
from packages.models import Package, PackageLessonPage


class PackageFactory(factory.django.DjangoModelFactory):
    """An imported package: `archive` is the zip's bytes (default: a SCORM 1.2 sample)."""

    organization = factory.SubFactory(OrganizationFactory)
    uploaded_by = None
    title = None
    archive = factory.LazyFunction(samples.scorm12_single_sco)
    file_name = "paket.zip"

    class Meta:
        model = Package

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        upload = SimpleUploadedFile(
            kwargs.pop("file_name"), kwargs.pop("archive"), content_type="application/zip"
        )
        return package_import(
            uploaded_file=upload,
            organization=kwargs.pop("organization"),
            user=kwargs.pop("uploaded_by"),
            title=kwargs.pop("title"),
        )


class PackageLessonPageFactory(wagtail_factories.PageFactory):
    """A package lesson; give it a `ModulePage` as parent (and a `package` of the course's
    provider, or one is imported for a new organization)."""

    title = factory.Sequence(lambda n: f"Paket {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    estimated_minutes = 20
    required_for_completion = True
    body = factory.LazyFunction(lambda: [paragraph("Pelajari materi di bawah ini sampai selesai.")])
    package = factory.SubFactory(PackageFactory)
    pass_mark = None

    class Meta:
        model = PackageLessonPage
