"""The privacy notice: Indonesian by default, English under the English interface, linked from
every page's footer and from the sign-up form."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Override the package's English interface: these tests choose the language per URL."""
    yield


def test_the_notice_is_in_indonesian_at_privasi(site_tree):
    response = Client().get("/privasi/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Kebijakan Privasi Lentera" in html
    for words in ("Lembaga Administrasi Negara", "Nomor 27 Tahun 2022", "Pasal 20", "SIASN"):
        assert words in html
    for right in ("Akses", "Perbaikan", "Penghapusan", "Keberatan"):
        assert right in html


def test_the_notice_is_in_english_under_en(site_tree):
    response = Client().get("/en/privasi/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Lentera privacy notice" in html and "Article 20" in html
    assert "Kebijakan Privasi Lentera" not in html


def test_the_footer_and_the_sign_up_form_link_the_notice(site_tree):
    client = Client()
    with translation.override("id-id"):
        notice = reverse("privacy:notice")

    home = client.get("/").content.decode()
    signup = client.get("/accounts/signup/").content.decode()

    assert f'href="{notice}"' in home
    assert f'href="{notice}"' in signup
