"""Baked badges (Open Badges 3.0, 5.3): the credential inside a PNG image, in an iTXt chunk with
the keyword `openbadgecredential`, uncompressed. Reading walks the PNG's chunks itself, without
decoding the image or inflating anything, so an uploaded file cannot be a decompression bomb."""

import io
import json
import struct
import zlib

from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

KEYWORD = b"openbadgecredential"
_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class NotABakedBadge(ValueError):
    """The file is not a PNG, or carries no credential."""


def badge_png(*, credential: dict, title: str, jp_text: str) -> bytes:
    """A 400x400 badge with the title's initials and the JP, the credential baked in."""
    image = Image.new("RGB", (400, 400), "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 20, 380, 380), fill="#1d4e89", outline="#f2a900", width=14)
    font = ImageFont.load_default(size=96)
    small = ImageFont.load_default(size=40)
    initials = "".join(word[0] for word in title.split()[:3] if word[:1].isalnum()).upper() or "L"
    draw.text((200, 170), initials, font=font, fill="#ffffff", anchor="mm")
    draw.text((200, 280), f"{jp_text} JP", font=small, fill="#f2a900", anchor="mm")
    info = PngInfo()
    info.add_itxt(KEYWORD.decode(), json.dumps(credential, ensure_ascii=False), zip=False)
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info, optimize=True)
    return out.getvalue()


def baked_credential_text(data: bytes) -> str:
    """The credential text baked into a PNG (the first `openbadgecredential` iTXt chunk)."""
    if not data.startswith(_SIGNATURE):
        raise NotABakedBadge("not a PNG")
    position = len(_SIGNATURE)
    while position + 8 <= len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if len(body) != length:
            break
        crc = data[position + 8 + length : position + 12 + length]
        if len(crc) != 4 or struct.unpack(">I", crc)[0] != zlib.crc32(kind + body):
            raise NotABakedBadge("broken chunk")
        if kind == b"iTXt":
            keyword, _, rest = body.partition(b"\0")
            if keyword == KEYWORD:
                compressed = rest[:1]
                if compressed != b"\0":
                    raise NotABakedBadge("compressed credential")
                # compression method, language tag \0, translated keyword \0, text
                _language, _, rest = rest[2:].partition(b"\0")
                _translated, _, text = rest.partition(b"\0")
                return text.decode("utf-8")
        if kind == b"IEND":
            break
        position += 12 + length
    raise NotABakedBadge("no credential")
