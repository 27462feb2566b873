"""`{% offline_strings_url %}`: where the page script finds the offline interface's words."""

from django import template

from offline.strings import strings_url

register = template.Library()


@register.simple_tag
def offline_strings_url() -> str:
    """The versioned address of the strings' JSON in the active language (offline:strings):
    base.html puts it in `<meta name="lentera-strings">`, the script fetches it when it needs
    words, and the browser and the service worker keep it (immutable)."""
    return strings_url()
