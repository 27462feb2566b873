"""Background work for saving courses offline: what a manifest request must not do itself."""

from django_tasks import task
from wagtail.images import get_image_model

from content.figures import PHONE_RENDITION_SPECS


@task()
def phone_renditions_make(*, image_ids: list[int]) -> None:
    """Make the phone renditions (`content.figures.PHONE_RENDITION_SPECS`) the offline manifest
    lists for these images and does not have yet (queued by `offline.manifests`).

    Encoding them (AVIF above all) takes a fraction of a second per rendition, so a manifest
    request leaves it to the worker, and the next manifest lists them. Safe to run twice:
    Wagtail makes only the renditions still missing. An image deleted since is skipped.
    """
    images = (
        get_image_model()
        .objects.prefetch_renditions(*PHONE_RENDITION_SPECS)
        .filter(pk__in=image_ids)
    )
    for image in images:
        image.get_renditions(*PHONE_RENDITION_SPECS)
