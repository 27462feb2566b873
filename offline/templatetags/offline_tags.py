"""`{% offline_strings %}`: the offline interface's words for the page script, as JSON."""

from django import template
from django.urls import reverse
from django.utils.html import json_script

from offline.strings import STRINGS

register = template.Library()

# A stand-in the script replaces with a certificate's code: reversing with it gives the
# verification page's address in the page's language (/sertifikat/… or /en/sertifikat/…).
CODE = "__code__"


@register.simple_tag
def offline_strings() -> str:
    """A `<script type="application/json" id="lentera-strings">` with STRINGS in the active
    language (JSON, not script: the Content Security Policy allows it) and the addresses the
    script links to."""
    data = {key: str(value) for key, value in STRINGS.items()}
    data["certificate_url"] = reverse("learners:certificate_verify", args=[CODE])
    data["code_placeholder"] = CODE
    return json_script(data, "lentera-strings")
