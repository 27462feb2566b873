"""Lesson figures as `<picture>`: AVIF and WebP sources, the original format as the fallback.

The rendition specs are defined once here: the stream prefetches all of them in one query
(`content.blocks.RenditionPrefetchingImageChooserBlock`), the figure template renders from them,
and the offline manifest saves `PHONE_RENDITION_SPECS`, the ones a phone picks.

AVIF is kept because it is the lightest on a slow link: measured on a 2400×1800 photograph with
Willow (Pillow 13, pillow-heif 1.8), widths 480/800/1200 weigh 32/68/105 KB in AVIF (quality
61, Wagtail's default) against 46/93/146 KB in WebP and 58/131/230 KB in JPEG. It costs more to
encode (91/169/278 ms against 33/43/88 ms for WebP), but only once per image and width: the
renditions are stored, and pages read them from the prefetch afterwards.
"""

from collections.abc import Iterable
from dataclasses import dataclass

# Widths offered to browsers in `srcset`: phone, tablet, desktop column.
FIGURE_RENDITION_WIDTHS = (480, 800, 1200)
# What a phone picks with `sizes="100vw"` (480 CSS px at 1x, 800 at about 2x). Data-saver pages
# offer only these, and a course saved for offline stores only these.
PHONE_RENDITION_WIDTHS = (480, 800)
# `<source>` formats, best first (browsers take the first they support).
FIGURE_SOURCE_FORMATS = (("avif", "image/avif"), ("webp", "image/webp"))
FIGURE_SIZES = "(min-width: 60rem) 46rem, 100vw"
# Phones (up to 40rem wide) get sources with the phone widths only: a 3× phone would otherwise
# take the 1200 px rendition, which costs more and is not among those saved for offline.
PHONE_MEDIA = "(max-width: 40rem)"


def _source_spec(width: int, image_format: str) -> str:
    return f"width-{width}|format-{image_format}"


def _fallback_spec(width: int) -> str:
    # No format operation: Wagtail keeps the original format (JPEG stays JPEG, PNG stays PNG).
    return f"width-{width}"


def figure_rendition_specs(widths: Iterable[int] = FIGURE_RENDITION_WIDTHS) -> tuple[str, ...]:
    """Every rendition spec a figure uses at these widths: each source format, then the
    fallback."""
    widths = tuple(widths)
    return tuple(
        _source_spec(width, image_format)
        for image_format, _ in FIGURE_SOURCE_FORMATS
        for width in widths
    ) + tuple(_fallback_spec(width) for width in widths)


FIGURE_RENDITION_SPECS = figure_rendition_specs()
PHONE_RENDITION_SPECS = figure_rendition_specs(PHONE_RENDITION_WIDTHS)


def rendition_bytes(rendition) -> int | None:
    """The size of a rendition's file, or None when the storage cannot tell (missing file).

    Wagtail stores no size for renditions, so this asks the storage (a `stat` on the file
    system): call it only where the size is shown.
    """
    if not rendition.file.name or rendition.file.name == "not-found":
        return None
    try:
        return rendition.file.size
    except OSError:
        return None


def _srcset(renditions) -> str:
    # An image narrower than a width comes out the same size at every width: list it once.
    seen, entries = set(), []
    for rendition in renditions:
        if rendition.width not in seen:
            seen.add(rendition.width)
            entries.append(f"{rendition.url} {rendition.width}w")
    return ", ".join(entries)


@dataclass(frozen=True)
class FigurePicture:
    """What the figure template needs: `sources` (media, type and srcset; best format first,
    and within a format the phones' source first), the fallback `img` rendition (the narrowest)
    and its `srcset`, and the renditions of the sources (for their sizes)."""

    sources: list[dict[str, str]]
    img: object
    srcset: str
    source_renditions: list

    @property
    def largest_source_bytes(self) -> int | None:
        """The most a browser that reads AVIF or WebP downloads for this figure."""
        sizes = [rendition_bytes(rendition) for rendition in self.source_renditions]
        known = [size for size in sizes if size is not None]
        return max(known) if known else None


def figure_picture(image, widths: Iterable[int] = FIGURE_RENDITION_WIDTHS) -> FigurePicture:
    """The `<picture>` of an image at these widths, from prefetched renditions when the stream
    prefetched them (`FIGURE_RENDITION_SPECS`); missing ones are generated once and stored."""
    # Imported here: content.blocks (and so this module) loads while the apps' models do.
    from wagtail.images.shortcuts import get_renditions_or_not_found

    widths = tuple(widths)
    renditions = get_renditions_or_not_found(image, figure_rendition_specs(widths))
    phone_widths = [width for width in widths if width in PHONE_RENDITION_WIDTHS]
    sources, source_renditions = [], []
    for image_format, mime_type in FIGURE_SOURCE_FORMATS:
        of_format = [renditions[_source_spec(width, image_format)] for width in widths]
        source_renditions.extend(of_format)
        if phone_widths and len(phone_widths) < len(widths):
            for_phones = [renditions[_source_spec(width, image_format)] for width in phone_widths]
            sources.append({"media": PHONE_MEDIA, "type": mime_type, "srcset": _srcset(for_phones)})
        sources.append({"media": "", "type": mime_type, "srcset": _srcset(of_format)})
    fallbacks = [renditions[_fallback_spec(width)] for width in widths]
    return FigurePicture(
        sources=sources,
        img=fallbacks[0],
        srcset=_srcset(fallbacks),
        source_renditions=source_renditions,
    )
