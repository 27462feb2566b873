"""The page script's words (offline/strings.py) come from a versioned JSON address in the page's
language, kept for good by browsers; every one translated into Indonesian with the same
placeholders. Pages carry only the address, not the words."""

import json
import re

import pytest
from bs4 import BeautifulSoup
from django.utils import translation

from offline.strings import STRINGS

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def strings_address(client, path: str) -> str:
    page = BeautifulSoup(client.get(path).content, "html.parser")
    return page.select_one('meta[name="lentera-strings"]')["content"]


def test_pages_name_a_versioned_strings_address_in_their_language(client, site_tree):
    indonesian = strings_address(client, "/")
    english = strings_address(client, "/en/")

    assert re.fullmatch(r"/luring/teks\.json\?v=[0-9a-f]{12}", indonesian)
    assert re.fullmatch(r"/en/luring/teks\.json\?v=[0-9a-f]{12}", english)
    assert indonesian.split("?v=")[1] != english.split("?v=")[1]
    # The words are not in the page (each page's budget; tests reading a page's text).
    page = client.get("/").content.decode()
    assert "Menunggu dikirim" not in page
    assert 'id="lentera-strings"' not in page


def test_the_strings_are_json_in_the_address_language_kept_for_good(client, site_tree):
    indonesian_url = strings_address(client, "/")
    english_url = strings_address(client, "/en/")

    response = client.get(indonesian_url)
    indonesian = json.loads(response.content)
    english = json.loads(client.get(english_url).content)

    assert response["Content-Type"].startswith("application/json")
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert indonesian["waiting"] == "Menunggu dikirim"
    assert english["waiting"] == "Waiting to be sent"
    assert set(indonesian) == set(english) == {*STRINGS, "certificate_url", "code_placeholder"}
    # The certificate link follows the language's URL prefix.
    assert indonesian["certificate_url"] == "/sertifikat/__code__/"
    assert english["certificate_url"] == "/en/sertifikat/__code__/"


def test_an_unversioned_or_old_strings_address_is_revalidated(client):
    response = client.get("/luring/teks.json?v=000000000000")

    assert response.status_code == 200
    assert json.loads(response.content)["waiting"] == "Menunggu dikirim"
    assert response["Cache-Control"] == "no-cache"


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_string_is_translated_with_its_placeholders(key):
    with translation.override("en"):
        english = str(STRINGS[key])
    with translation.override("id-id"):
        indonesian = str(STRINGS[key])
    assert indonesian != english, f"{key} has no Indonesian translation"
    assert sorted(PLACEHOLDER.findall(indonesian)) == sorted(PLACEHOLDER.findall(english))
