"""The page script's words (offline/strings.py) reach the page as JSON in its language, every
one translated into Indonesian with the same placeholders."""

import json
import re

import pytest
from django.template import Context, Template
from django.utils import translation

from offline.strings import STRINGS

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def rendered(language: str) -> dict:
    with translation.override(language):
        html = Template("{% load offline_tags %}{% offline_strings %}").render(Context())
    match = re.fullmatch(
        r'<script id="lentera-strings" type="application/json">(.*)</script>', html, re.S
    )
    assert match, html
    return json.loads(match.group(1))


def test_the_strings_are_json_in_the_page_language():
    indonesian = rendered("id-id")
    english = rendered("en")
    assert indonesian["waiting"] == "Menunggu dikirim"
    assert english["waiting"] == "Waiting to be sent"
    assert set(indonesian) == set(english) == {*STRINGS, "certificate_url", "code_placeholder"}
    # The certificate link follows the language's URL prefix.
    assert indonesian["certificate_url"] == "/sertifikat/__code__/"
    assert english["certificate_url"] == "/en/sertifikat/__code__/"


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_string_is_translated_with_its_placeholders(key):
    with translation.override("en"):
        english = str(STRINGS[key])
    with translation.override("id-id"):
        indonesian = str(STRINGS[key])
    assert indonesian != english, f"{key} has no Indonesian translation"
    assert sorted(PLACEHOLDER.findall(indonesian)) == sorted(PLACEHOLDER.findall(english))
