"""A video site's player, made quiet: it loads only when scrolled near, and never starts itself.

The HTML comes from the provider's oEmbed answer, cached by Wagtail; it is adjusted when the
page is rendered, so answers cached before this change are treated alike.
"""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from bs4 import BeautifulSoup
from bs4.dammit import EntitySubstitution
from bs4.formatter import HTMLFormatter

_AUTOPLAY_PARAMETERS = {"autoplay", "auto_play", "autostart"}


class _AsWritten(HTMLFormatter):
    """Attributes in the provider's order, and `allowfullscreen` without `=""`: the player's
    markup changes only where autoplay and loading are concerned."""

    def __init__(self):
        super().__init__(entity_substitution=EntitySubstitution.substitute_xml)

    def attributes(self, tag):
        return [(name, None if value == "" else value) for name, value in tag.attrs.items()]


def _without_autoplay_parameters(url: str) -> str:
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(key, value) for key, value in query if key.lower() not in _AUTOPLAY_PARAMETERS]
    if len(kept) == len(query):
        return url  # unchanged, byte for byte
    return urlunsplit(parts._replace(query=urlencode(kept)))


def quiet_embed_html(html: str) -> str:
    """The embed with `loading="lazy"` on its frames and autoplay taken out: the `autoplay`
    query parameters of the frame's address, `autoplay` in its `allow` list (so the frame is not
    allowed to start playing), and the `autoplay` attribute of media elements."""
    if not html or "<" not in html:
        return html
    soup = BeautifulSoup(html, "html.parser")
    for frame in soup.find_all("iframe"):
        frame["loading"] = "lazy"
        if frame.get("src"):
            frame["src"] = _without_autoplay_parameters(frame["src"])
        if frame.get("allow"):
            features = [feature.strip() for feature in frame["allow"].split(";")]
            kept = [f for f in features if f and f.split()[0].lower() != "autoplay"]
            if kept:
                frame["allow"] = "; ".join(kept)
            else:
                del frame["allow"]
    for media in soup.find_all(["video", "audio"]):
        if media.has_attr("autoplay"):
            del media["autoplay"]
    return soup.decode(formatter=_AsWritten())
