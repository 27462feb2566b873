"""Every page names its icon, and /favicon.ico answers (browsers ask for it regardless)."""

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static

pytestmark = pytest.mark.django_db


def test_pages_link_their_icon(client, site_tree):
    html = client.get("/").content.decode()
    assert f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">' in html
    assert f'<link rel="icon" href="{static("favicon.png")}" type="image/png"' in html
    for name in ("favicon.svg", "favicon.png", "favicon.ico"):
        assert finders.find(name), name


def test_favicon_ico_leads_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("favicon.ico")
    assert "max-age=86400" in response["Cache-Control"]
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # ICO header
