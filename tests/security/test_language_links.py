"""The language switcher (and the hreflang links beside it) always links within the site.

A request for //evil.example/ used to turn the links on the production 404 page into
protocol-relative links to evil.example: a phishing page reached from a link on ours.
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings as project_settings
from django.test import Client
from django.urls import reverse, translate_url

from courses.models import LessonPage
from learners.factories import UserFactory

pytestmark = pytest.mark.django_db


class _LanguageLinks(HTMLParser):
    """The hrefs of the language switcher and of the <link rel="alternate" hreflang=...>."""

    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self._in_language_nav = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and "language-nav" in (attrs.get("class") or ""):
            self._in_language_nav = True
        elif (tag == "a" and self._in_language_nav) or (
            tag == "link" and attrs.get("rel") == "alternate" and "hreflang" in attrs
        ):
            self.hrefs.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_language_nav = False


def _language_hrefs(response) -> list[str]:
    parser = _LanguageLinks()
    parser.feed(response.content.decode())
    return parser.hrefs


@pytest.mark.parametrize(
    "path",
    [
        "//evil.example/",
        "//evil.example/katalog/",
        "///evil.example/",
        "/\\evil.example/",
        "/\\/evil.example/",
        "//evil.example/en/",
        "/en//evil.example/",
        "//evil.example:443/",
    ],
)
def test_404_language_links_stay_on_the_site(settings, site_tree, path):
    settings.DEBUG = False
    # The test client would read "//evil.example/" as a host: the path goes in as a server would
    # pass it.
    response = Client(raise_request_exception=False).get("/", PATH_INFO=path, QUERY_STRING="q=1")

    assert response.status_code == 404
    hrefs = _language_hrefs(response)
    assert len(hrefs) == 3  # two languages in the switcher, the other one as an alternate
    for href in hrefs:
        assert href.startswith("/")
        assert not href.startswith(("//", "/\\"))
        assert urlsplit(href)[:2] == ("", "")  # no scheme, no host


def test_language_links_of_a_page_still_point_to_it_in_each_language(client, site_tree):
    response = client.get("/katalog/?q=etika")

    assert response.status_code == 200
    assert set(_language_hrefs(response)) == {"/katalog/?q=etika", "/en/katalog/?q=etika"}


def test_language_links_reuse_the_requests_resolution_and_match_translate_url(client_for, course_a):
    """The links reuse the request's resolved URL rather than resolving it twice more; they are
    the same as Django's `translate_url` of the path gives, for pages and views alike."""
    client = client_for(UserFactory())
    lesson = course_a.get_descendants().type(LessonPage).live().first()
    for path in (
        "/katalog/?q=etika",
        "/en/katalog/",
        course_a.url,
        lesson.url + "?tab=1",
        reverse("learners:my_learning"),
        reverse("privacy:notice") + "?a=%20b",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        expected = {translate_url(path, code) for code, _name in project_settings.LANGUAGES}
        assert set(_language_hrefs(response)) == expected, path
        assert len(expected) == 2
