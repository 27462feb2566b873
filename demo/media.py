"""Pictures and PDF documents for the demo, drawn locally: `seed_demo` needs no internet."""

import io
import textwrap

from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont


def _hex_to_rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return tuple(int(color[i : i + 2], 16) for i in (0, 2, 4))


def illustration_png(*, color: str, label: str, width: int = 1200, height: int = 675) -> bytes:
    """A flat illustration: a colored field, soft circles and a label, as PNG bytes."""
    base = _hex_to_rgb(color)
    image = Image.new("RGB", (width, height), base)
    draw = ImageDraw.Draw(image)
    lighter = tuple(min(255, channel + 40) for channel in base)
    darker = tuple(max(0, channel - 30) for channel in base)
    draw.ellipse((width * 0.55, -height * 0.3, width * 1.25, height * 0.9), fill=lighter)
    draw.ellipse((-width * 0.2, height * 0.55, width * 0.35, height * 1.4), fill=darker)
    draw.rectangle((0, height - 16, width, height), fill=(255, 196, 0))
    font = ImageFont.load_default(size=max(28, height // 9))
    lines = textwrap.wrap(label, width=22)[:3]
    y = height * 0.5 - len(lines) * font.size * 0.6
    for line in lines:
        draw.text((width * 0.07, y), line, fill=(255, 255, 255), font=font)
        y += font.size * 1.25
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


# Helvetica in PDF core fonts covers Latin-1 only; typographic marks are mapped to plain ones.
_LATIN1_FALLBACKS = str.maketrans({"—": "-", "–": "-", "“": '"', "”": '"', "‘": "'", "’": "'"})


def document_pdf(*, title: str, text: str, issuer: str) -> bytes:
    """A simple A4 document with a title, the issuing organization and paragraphs of text."""
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_author(issuer)
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, title.translate(_LATIN1_FALLBACKS))
    pdf.ln(2)
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 6, issuer.translate(_LATIN1_FALLBACKS))
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 11)
    for paragraph in text.split("\n"):
        if paragraph.strip():
            pdf.multi_cell(0, 6, paragraph.strip().translate(_LATIN1_FALLBACKS))
            pdf.ln(2)
    return bytes(pdf.output())
