"""Links and e-mails name the public address (BASE_URL) and "Lentera": Wagtail's site for page
links (moderation e-mails, the API's html_url) and allauth's e-mails, whatever host a request
came in on."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from wagtail.models import Site

from courses.models import CoursePage
from learners.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_site_identity_gives_wagtail_the_public_address(settings, course_a):
    assert course_a.full_url.startswith("http://localhost/")  # Wagtail's placeholder
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8101"
    call_command("site_identity", stdout=io.StringIO())
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.site_name) == ("127.0.0.1", 8101, "Lentera")
    course = CoursePage.objects.get(pk=course_a.pk)
    assert course.full_url == f"http://127.0.0.1:8101{course.url}"


def test_api_html_url_names_the_public_https_address(settings, client, course_a):
    settings.WAGTAILADMIN_BASE_URL = "https://lentera.example.go.id"
    call_command("site_identity", stdout=io.StringIO())
    assert Site.objects.get(is_default_site=True).port == 443
    response = client.get(
        "/api/v2/pages/", {"type": "courses.CoursePage"}, HTTP_HOST="127.0.0.1:8101"
    )
    [item] = response.json()["items"]
    assert item["meta"]["html_url"] == f"https://lentera.example.go.id{course_a.url}"


def test_site_identity_twice_changes_nothing(settings, site_tree, django_assert_num_queries):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    call_command("site_identity", stdout=io.StringIO())
    with django_assert_num_queries(1):  # read the site, nothing written
        call_command("site_identity", stdout=io.StringIO())


def test_allauth_emails_are_branded_lentera_with_the_public_address(settings, client, db):
    settings.WAGTAILADMIN_BASE_URL = "https://lentera.example.go.id"
    UserFactory(email="ada@instansi.go.id")
    with translation.override("en"):
        url = reverse("account_reset_password")
    client.post(url, {"email": "ada@instansi.go.id"}, HTTP_HOST="127.0.0.1:8101")
    [message] = mail.outbox
    assert message.subject.startswith("[Lentera] ")
    assert "Lentera" in message.body
    assert "lentera.example.go.id" in message.body
    assert "127.0.0.1:8101" not in message.subject
    assert "Hello from 127.0.0.1" not in message.body
