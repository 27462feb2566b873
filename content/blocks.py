"""StreamField blocks shared by lessons and library resources.

Every block renders without JavaScript and without the network: images come as responsive
renditions, and video embeds use a cached oEmbed result when there is one and a plain link with
the transcript otherwise, so a lesson still opens on a disconnected office network.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from content.embeds import quiet_embed_html
from content.figures import (
    FIGURE_RENDITION_SPECS,
    FIGURE_RENDITION_WIDTHS,
    FIGURE_SIZES,
    PHONE_RENDITION_WIDTHS,
    figure_picture,
)

# Rich text stays simple: structure comes from blocks, not from pasted formatting.
PARAGRAPH_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]
INLINE_FEATURES = ["bold", "italic", "link"]

# The figure renditions (widths, formats, specs) are defined in content/figures.py.


class RenditionPrefetchingImageChooserBlock(ImageChooserBlock):
    """An image chooser that loads all of a stream's images and their renditions in two queries.

    StreamField converts all blocks of one type together through `bulk_to_python`; prefetching
    the renditions there keeps a lesson's query count the same with one image or with twenty.
    """

    def bulk_to_python(self, values):
        images = self.model_class.objects.prefetch_renditions(*FIGURE_RENDITION_SPECS).in_bulk(
            [value for value in values if value]
        )
        return [images.get(value) for value in values]

    class Meta:
        icon = "image"


class HeadingBlock(blocks.StructBlock):
    """A section heading inside a lesson; the page title is the only h1."""

    text = blocks.CharBlock(label=_("Text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section (h2)")), ("h3", _("Subsection (h3)"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        label = _("Heading")
        description = _("A section or subsection title.")
        preview_value = {"text": "Prinsip pelayanan publik", "level": "h2"}


class FigureBlock(blocks.StructBlock):
    """An image with alternative text and an optional caption, served as responsive renditions."""

    image = RenditionPrefetchingImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("Describe the image for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        data_saver = getattr(request, "data_saver", False)
        context["data_saver"] = data_saver
        context["sizes"] = FIGURE_SIZES
        if value.get("image") is not None:
            # In data-saver mode only the phone widths: the image is shown on request, and its
            # size is said before it is downloaded.
            widths = PHONE_RENDITION_WIDTHS if data_saver else FIGURE_RENDITION_WIDTHS
            context["picture"] = figure_picture(value["image"], widths)
        return context

    class Meta:
        icon = "image"
        template = "blocks/figure_block.html"
        label = _("Image")
        description = _("An image with alternative text and a caption.")


# Caption languages offered to editors: the interface languages, as BCP 47 tags for `srclang`.
CAPTION_LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]


class CaptionsBlock(blocks.StructBlock):
    """A WebVTT captions file for a video, in one language: a track for uploaded videos and a
    download beside embedded ones (a page cannot add a track to another site's player)."""

    file = DocumentChooserBlock(
        label=_("Captions file"),
        help_text=_("A WebVTT (.vtt) file from the document library."),
    )
    language = blocks.ChoiceBlock(label=_("Language"), choices=CAPTION_LANGUAGES, default="id")
    label = blocks.CharBlock(
        label=_("Label"),
        required=False,
        max_length=60,
        help_text=_("The name in the player's captions menu; the language's name when empty."),
    )

    def clean(self, value):
        value = super().clean(value)
        document = value.get("file")
        if document is not None and document.file_extension.lower() != "vtt":
            raise blocks.StructBlockValidationError(
                block_errors={"file": ValidationError(_("Choose a WebVTT (.vtt) file."))}
            )
        return value

    class Meta:
        icon = "doc-full"
        label = _("Captions")


class VideoBlock(blocks.StructBlock):
    """A video: an uploaded file or an embed from a video site, always with a text alternative
    and optionally with captions."""

    title = blocks.CharBlock(label=_("Title"), max_length=200)
    video_file = DocumentChooserBlock(
        label=_("Video file"),
        required=False,
        help_text=_("An MP4 or WebM file from the document library."),
    )
    embed_url = blocks.URLBlock(
        label=_("Video URL"),
        required=False,
        help_text=_("A YouTube or Vimeo address, used when there is no uploaded file."),
    )
    transcript = blocks.TextBlock(
        label=_("Transcript"),
        help_text=_("A text alternative for people who cannot watch or hear the video."),
    )
    captions = blocks.ListBlock(
        CaptionsBlock(),
        label=_("Captions"),
        default=[],
        help_text=_("WebVTT captions, one file per language."),
    )

    def clean(self, value):
        value = super().clean(value)
        if not value.get("video_file") and not value.get("embed_url"):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "embed_url": ValidationError(_("Choose a video file or enter a video URL."))
                }
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        # Pages prefetch cached oEmbed results for all their videos in one query
        # (`cached_embeds`); nothing is fetched from the network while rendering.
        cached_embeds = (parent_context or {}).get("cached_embeds") or {}
        request = (parent_context or {}).get("request")
        # In data-saver mode no player at all (a provider's player weighs hundreds of KB before
        # the video starts): the template links to the video instead. Otherwise the player loads
        # when scrolled near and never starts by itself.
        context["data_saver"] = getattr(request, "data_saver", False)
        embed_html = cached_embeds.get(value.get("embed_url"), "")
        context["embed_html"] = "" if context["data_saver"] else quiet_embed_html(embed_html)
        languages = dict(CAPTION_LANGUAGES)
        context["caption_tracks"] = [
            {
                "url": captions["file"].url,
                "srclang": captions["language"],
                "label": captions["label"] or languages.get(captions["language"], ""),
            }
            # A captions file deleted from the library leaves an empty chooser behind.
            for captions in value.get("captions") or []
            if captions.get("file") is not None
        ]
        return context

    class Meta:
        icon = "media"
        template = "blocks/video_block.html"
        label = _("Video")
        description = _("A video file or embed, with a transcript and captions.")


class DocumentBlock(blocks.StructBlock):
    """A downloadable document with a short description."""

    document = DocumentChooserBlock(label=_("Document"))
    description = blocks.CharBlock(label=_("Description"), required=False, max_length=250)

    class Meta:
        icon = "doc-full"
        template = "blocks/document_block.html"
        label = _("Document download")
        description = _("A file learners can download.")


class CalloutBlock(blocks.StructBlock):
    """A highlighted note: a tip, a piece of information or a warning."""

    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[("tip", _("Tip")), ("info", _("Information")), ("warning", _("Warning"))],
        default="tip",
    )
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=120)
    text = blocks.RichTextBlock(label=_("Text"), features=INLINE_FEATURES)

    class Meta:
        icon = "help"
        template = "blocks/callout_block.html"
        label = _("Callout")
        description = _("A tip, note or warning set apart from the text.")
        preview_value = {
            "kind": "tip",
            "title": "Tips",
            "text": "<p>Catat tiga hal yang akan Anda terapkan minggu ini.</p>",
        }


class QuoteBlock(blocks.StructBlock):
    """A quotation with its source."""

    text = blocks.TextBlock(label=_("Quotation"))
    attribution = blocks.CharBlock(label=_("Source"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        label = _("Quote")
        description = _("A quotation with its source.")
        preview_value = {
            "text": "ASN yang kompeten sangat diperlukan untuk mencapai tujuan pembangunan.",
            "attribution": "Kepala LAN",
        }


class ExternalLinkBlock(blocks.StructBlock):
    """A link to a resource on another site, described so learners know where it leads."""

    url = blocks.URLBlock(label=_("Address"))
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    description = blocks.CharBlock(label=_("Description"), required=False, max_length=250)

    class Meta:
        icon = "link-external"
        template = "blocks/external_link_block.html"
        label = _("External link")
        description = _("A described link to another website.")


class LearningStreamBlock(blocks.StreamBlock):
    """The body of a lesson or library resource."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        features=PARAGRAPH_FEATURES,
        icon="pilcrow",
        template="blocks/paragraph_block.html",
        description=_("Paragraphs of text with simple formatting."),
    )
    image = FigureBlock()
    video = VideoBlock()
    document = DocumentBlock()
    callout = CalloutBlock()
    quote = QuoteBlock()
    table = TableBlock(
        label=_("Table"),
        template="blocks/table_block.html",
        description=_("A simple table with an optional header row."),
    )
    external_link = ExternalLinkBlock()


def embed_urls_in(stream_value) -> list[str]:
    """The video URLs of a StreamField value, read from its raw data without converting blocks."""
    return [
        block["value"]["embed_url"]
        for block in stream_value.raw_data
        if block["type"] == "video" and block["value"].get("embed_url")
    ]
